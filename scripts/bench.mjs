// npm run bench: wall times as a user meets them (median, min, max over BENCH_RUNS runs), peak
// memory, sizes, and pandoc on a comparable 10-slide deck when pandoc is installed.
// Timing lives here, never in unit tests.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'briefing.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'briefing-bench-'));
const rows = [];

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const wall = (cmd, args, opts = {}) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: work, encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, stdout: r.stdout };
};
const repeat = (label, fn) => {
  fn(); // one warm-up run: the disk cache and the OS file cache, as a second run by a user would have
  const times = Array.from({ length: RUNS }, () => fn());
  rows.push({ label, ...stats(times) });
  return stats(times);
};

// Cold: a new process each time, as a user runs it, with the bench's own disk cache (filled by
// the warm-up run, as a user's second run finds it); then with no cache at all, as the first run
// after the research changed meets it.
const env = { ...process.env, BRIEFING_CACHE_DIR: join(work, 'cache') };
const noCache = { ...env, BRIEFING_CACHE: 'off' };
const deckArgs = [BIN, 'deck', '--slides', '10', '--lang', 'en', '-o', 'deck.pptx', '-q'];
const memoArgs = [BIN, 'memo', '--pages', '1', '--lang', 'zh-Hant', '-o', 'memo.pdf', '-q'];
repeat('Node start-up alone (`node -e 0`)', () => wall(process.execPath, ['-e', '0']).seconds);
repeat('cold `briefing --help`', () => wall(process.execPath, [BIN, '--help']).seconds);
const deck = repeat('cold `briefing deck` (10 slides, en)', () => wall(process.execPath, deckArgs, { env }).seconds);
const memo = repeat('cold `briefing memo` (1 page, zh-Hant)', () => wall(process.execPath, memoArgs, { env }).seconds);
// After an edit to the research: the pack's cache entry is stale, fonts and templates are not.
const edited = join(work, 'pack');
cpSync(join(ROOT, 'content', 'real-ai-race'), edited, { recursive: true });
let edits = 0;
repeat('  the same deck, just after an edit to the pack', () => {
  appendFileSync(join(edited, 'pack.yaml'), `# edit ${++edits}\n`);
  return wall(process.execPath, [...deckArgs, '-c', edited], { env }).seconds;
});
repeat('  the same deck, no disk cache', () => wall(process.execPath, deckArgs, { env: noCache }).seconds);
repeat('  the same memo, no disk cache', () => wall(process.execPath, memoArgs, { env: noCache }).seconds);

// Warm: in one process, after a first build.
const api = await import(join(ROOT, 'dist', 'index.js'));
const pack = join(ROOT, 'content', 'real-ai-race');
const cache = api.newBuildCache();
const warm = async (fn) => {
  await fn();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push((performance.now() - t) / 1000);
  }
  return stats(times);
};
rows.push({ label: 'warm deck in-process (10 slides, en)', ...(await warm(() => api.buildDeck({ content: pack, lang: 'en', audience: 'policymaker', slides: 10 }, cache))) });
rows.push({ label: 'warm memo in-process (1 page, zh-Hant)', ...(await warm(() => api.buildMemo({ content: pack, lang: 'zh-Hant', audience: 'policymaker', pages: 1 }, cache))) });

// The built-in matrix: 5 audiences × 3 languages × (deck + memo) = 30 files, one process.
let peak = 0;
const matrix = repeat('full matrix, 30 files (`briefing build`)', () => {
  const r = wall(process.execPath, [BIN, 'build', '--config', join(ROOT, 'briefing.config.yaml'), '--json'], { env });
  const summary = JSON.parse(r.stdout);
  peak = Math.max(peak, summary.peakMemoryMB);
  if (summary.built !== 30) throw new Error(`built ${summary.built} of 30`);
  return r.seconds;
});

// pandoc on a comparable deck: our 10 slides' Markdown with the directives taken out.
let pandoc = null;
if (spawnSync('pandoc', ['--version']).status === 0) {
  wall(process.execPath, [BIN, 'deck', '--slides', '10', '-o', 'for-pandoc.pptx', '--emit', 'markdown', '-q'], { env });
  const md = readFileSync(join(work, 'for-pandoc.briefing.md'), 'utf8').replace(/<!--[\s\S]*?-->\n?/g, '');
  writeFileSync(join(work, 'pandoc.md'), md);
  pandoc = repeat('pandoc, comparable 10-slide PPTX from Markdown', () => wall('pandoc', ['pandoc.md', '-o', 'pandoc.pptx']).seconds);
}

const size = (f) => statSync(join(work, f)).size;
const fmt = (s) => `${s.toFixed(3)} s`;
console.log(`briefing bench — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${RUNS} runs each (after one warm-up)\n`);
const width = Math.max(...rows.map((r) => r.label.length));
console.log(`${'what'.padEnd(width)}  ${'median'.padStart(9)}  ${'min'.padStart(9)}  ${'max'.padStart(9)}`);
for (const r of rows) console.log(`${r.label.padEnd(width)}  ${fmt(r.median).padStart(9)}  ${fmt(r.min).padStart(9)}  ${fmt(r.max).padStart(9)}`);
console.log('');
console.log(`peak memory, full matrix: ${peak} MB`);
console.log(`sizes: deck ${(size('deck.pptx') / 1024).toFixed(1)} KB, memo ${(size('memo.pdf') / 1024).toFixed(1)} KB`);
if (pandoc) console.log(`cold deck / pandoc: ${(deck.median / pandoc.median).toFixed(2)}× (target ≤ 2×)`);
else console.log('pandoc not installed: no comparison (apt-get install pandoc)');
console.log(`targets: deck ≤ 2× pandoc; memo ${memo.median <= 0.35 ? 'meets' : 'misses'} ≤ 0.35 s; matrix ${matrix.median <= 3 ? 'meets' : 'misses'} ≤ 3 s; memory ${peak <= 250 ? 'meets' : 'misses'} ≤ 250 MB`);
