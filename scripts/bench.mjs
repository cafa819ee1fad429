// npm run bench: every figure of the speed targets (issue 16) in one run — wall times as a user
// meets them (median, min, max over BENCH_RUNS runs, each a new process), peak memory, the
// ratio to pandoc measured in the same run, and how time grows with the size of a pack.
// Timing lives here, never in unit tests (tests/fit-work.test.ts counts work instead).
//
// The process-level cases run interleaved, one round at a time (deck, memo, pandoc, …, then
// again), so that a busy moment on a shared machine slows every case alike and the ratios between
// them (the pandoc comparison above all) stay meaningful even when absolute times drift.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'briefing.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SCALE_RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 3);
const work = mkdtempSync(join(tmpdir(), 'briefing-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
/** Runs a command; its wall time in seconds, its output, and (with `rss`) its peak memory in MB. */
const run = (cmd, args, opts = {}) => {
  const env = { ...(opts.env ?? process.env) };
  const rssFile = join(work, `rss-${process.pid}.txt`);
  if (opts.rss) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${join(ROOT, 'scripts', 'bench-rss.cjs')}`.trim();
  if (opts.rss) env.BENCH_RSS_FILE = rssFile;
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: work, encoding: 'utf8', maxBuffer: 64 << 20, ...opts, env });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rss = opts.rss ? Number(readFileSync(rssFile, 'utf8')) / 1024 : null;
  return { seconds, stdout: r.stdout, rss };
};
const node = (args, env, extra = {}) => run(process.execPath, [BIN, ...args], { env, ...extra });

// Cold: a new process each time, as a user runs it, with the bench's own disk cache (filled by
// the warm-up round, as a user's second run finds it); with a cache folder just emptied (a first
// run ever, which fills it); and with the cache turned off.
const env = { ...process.env, BRIEFING_CACHE_DIR: join(work, 'cache') };
const noCache = { ...process.env, BRIEFING_CACHE: 'off' };
let fresh = 0;
const emptyCache = () => {
  const dir = join(work, `fresh-${++fresh}`);
  return { ...process.env, BRIEFING_CACHE_DIR: dir };
};
const deckArgs = ['deck', '--slides', '10', '--lang', 'en', '-o', 'deck.pptx', '-q'];
const memoArgs = ['memo', '--pages', '1', '--lang', 'zh-Hant', '-o', 'memo.pdf', '-q'];
const pdfArgs = ['deck', '--format', 'pdf', '--slides', '10', '--lang', 'en', '-o', 'deck.pdf', '-q'];
const config = join(ROOT, 'briefing.config.yaml');
const edited = join(work, 'pack');
cpSync(join(ROOT, 'content', 'real-ai-race'), edited, { recursive: true });
let edits = 0;

const cases = [
  { id: 'node', label: 'Node start-up alone (`node -e 0`), the floor', run: () => run(process.execPath, ['-e', '0']).seconds },
  { id: 'help', label: 'cold `briefing --help`', run: () => node(['--help'], env).seconds },
  { id: 'deck', label: 'cold `briefing deck` (10 slides, en)', run: () => node(deckArgs, env).seconds },
  { id: 'memo', label: 'cold `briefing memo --lang zh-Hant` (1 page)', run: () => node(memoArgs, env).seconds },
  { id: 'pdf', label: 'cold `briefing deck --format pdf` (10 slides)', run: () => node(pdfArgs, env).seconds },
  {
    id: 'edited',
    label: 'deck just after an edit to the pack',
    run: () => {
      appendFileSync(join(edited, 'pack.yaml'), `# edit ${++edits}\n`);
      return node([...deckArgs, '-c', edited], env).seconds;
    },
  },
  { id: 'deck-first', label: 'deck, first run (cache folder emptied)', run: () => node(deckArgs, emptyCache()).seconds },
  { id: 'deck-nc', label: 'deck, disk cache off', run: () => node(deckArgs, noCache).seconds },
  { id: 'memo-first', label: 'zh memo, first run (cache folder emptied)', run: () => node(memoArgs, emptyCache()).seconds },
  { id: 'memo-nc', label: 'zh memo, disk cache off', run: () => node(memoArgs, noCache).seconds },
  // The built-in matrix: 5 audiences × 3 languages × (deck + memo) = 30 files, one process.
  { id: 'matrix', label: '`briefing build`, 30 files, default jobs', run: () => build([]).seconds },
  { id: 'matrix-1', label: '`briefing build`, 30 files, `--jobs 1`', run: () => build(['--jobs', '1']).seconds },
  { id: 'matrix-2', label: '`briefing build`, 30 files, `--jobs 2`', run: () => build(['--jobs', '2']).seconds },
];
function build(extra) {
  const r = node(['build', '--config', config, '--json', ...extra], env);
  const summary = JSON.parse(r.stdout);
  if (summary.built !== 30) throw new Error(`built ${summary.built} of 30`);
  return { seconds: r.seconds, peak: summary.peakMemoryMB };
}

// pandoc on a comparable deck: our 10 slides' Markdown, with the speaker notes as pandoc's
// `::: notes` and the directives and chart blocks taken out (pandoc would set a chart's JSON as a
// highlighted code block, which triples its time, and draws no chart anyway).
const hasPandoc = spawnSync('pandoc', ['--version']).status === 0;
if (hasPandoc) {
  node(['deck', '--slides', '10', '-o', 'for-pandoc.pptx', '--emit', 'markdown', '-q'], env);
  const md = readFileSync(join(work, 'for-pandoc.briefing.md'), 'utf8')
    .replace(/<!--\s*notes:\s*([\s\S]*?)-->/g, (_, notes) => `\n::: notes\n${notes.trim()}\n:::\n`)
    .replace(/<!--[\s\S]*?-->\n?/g, '')
    .replace(/^```chart\n[\s\S]*?\n```\n?/gm, '');
  writeFileSync(join(work, 'pandoc.md'), md);
  cases.splice(1, 0, {
    id: 'pandoc',
    label: 'pandoc, the same 10 slides with notes, md → pptx',
    run: () => run('pandoc', ['pandoc.md', '-o', 'pandoc.pptx']).seconds,
  });
}

const times = new Map(cases.map((c) => [c.id, []]));
for (const c of cases) c.run(); // one warm-up round: the disk cache and the OS file cache, as a user's second run has them
for (let round = 0; round < RUNS; round++) {
  for (const c of cases) times.get(c.id).push(c.run());
  process.stderr.write(`\rround ${round + 1}/${RUNS}`);
}
process.stderr.write('\n');
const rows = new Map(cases.map((c) => [c.id, { label: c.label, ...stats(times.get(c.id)) }]));

// Peak memory, one run each after the rounds (the warm cache), measured by the process itself.
const rss = {
  deck: node(deckArgs, env, { rss: true }).rss,
  memo: node(memoArgs, env, { rss: true }).rss,
  matrix: build([]).peak,
};

// Scale: packs of 7, 70 and 700 modules (scripts/gen-pack.mjs), `deck --slides 30` and `check`.
const scale = [];
const generator = join(ROOT, 'scripts', 'gen-pack.mjs');
if (existsSync(generator)) {
  for (const modules of [7, 70, 700]) {
    const dir = join(work, `pack-${modules}`);
    run(process.execPath, [generator, String(modules), dir]);
    const deck = [];
    const check = [];
    node(['deck', '--slides', '30', '-c', dir, '-o', `scale-${modules}.pptx`, '-q'], env); // warm-up
    for (let i = 0; i < SCALE_RUNS; i++) {
      deck.push(node(['deck', '--slides', '30', '-c', dir, '-o', `scale-${modules}.pptx`, '-q'], env).seconds);
      check.push(node(['check', '-c', dir], env).seconds);
    }
    scale.push({ modules, deck: stats(deck), check: stats(check) });
  }
}

// Warm: in one process, after a first build (what a batch or a preview server pays per output).
const api = await import(join(ROOT, 'dist', 'index.js'));
const pack = join(ROOT, 'content', 'real-ai-race');
const cache = api.newBuildCache();
const warm = async (fn) => {
  await fn();
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    xs.push((performance.now() - t) / 1000);
  }
  return stats(xs);
};
rows.set('warm-deck', { label: 'warm deck in-process (10 slides, en)', ...(await warm(() => api.buildDeck({ content: pack, lang: 'en', audience: 'policymaker', slides: 10 }, cache))) });
rows.set('warm-memo', { label: 'warm memo in-process (1 page, zh-Hant)', ...(await warm(() => api.buildMemo({ content: pack, lang: 'zh-Hant', audience: 'policymaker', pages: 1 }, cache))) });

// The report.
const ms = (s) => `${Math.round(s * 1000)} ms`;
const med = (id) => rows.get(id)?.median;
const verdict = (ok) => (ok === null ? '—' : ok ? 'meets' : 'misses');
const pandoc = med('pandoc');
const target = {
  deck: pandoc ? [`≤ 1.5× pandoc (${ms(1.5 * pandoc)}); now ${(med('deck') / pandoc).toFixed(2)}×`, med('deck') <= 1.5 * pandoc] : ['≤ 1.5× pandoc (no pandoc here)', null],
  memo: ['≤ 200 ms', med('memo') <= 0.2],
  pdf: ['≤ 200 ms', med('pdf') <= 0.2],
  'deck-first': ['≤ cache off', med('deck-first') <= med('deck-nc')],
  'memo-first': ['≤ cache off', med('memo-first') <= med('memo-nc')],
  matrix: ['≤ 1.2 s', med('matrix') <= 1.2],
};
console.log(
  `briefing bench — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores, ${RUNS} interleaved runs each after one warm-up; load average ${(await import('node:os')).loadavg()[0].toFixed(2)} at the end\n`,
);
const table = [['what', 'median', 'min', 'max', 'target', '']];
for (const [id, r] of rows) {
  const t = target[id];
  table.push([r.label, ms(r.median), ms(r.min), ms(r.max), t ? t[0] : '', t ? verdict(t[1]) : '']);
}
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const row of table) console.log(row.map((cell, i) => (i >= 1 && i <= 3 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd());
console.log('');
console.log(`peak memory: deck ${rss.deck.toFixed(0)} MB (target ≤ 80: ${verdict(rss.deck <= 80)}), zh memo ${rss.memo.toFixed(0)} MB (≤ 100: ${verdict(rss.memo <= 100)}), 30-file build ${rss.matrix} MB (≤ 150: ${verdict(rss.matrix <= 150)})`);
const size = (f) => statSync(join(work, f)).size;
console.log(`sizes: deck ${(size('deck.pptx') / 1024).toFixed(1)} KB, memo ${(size('memo.pdf') / 1024).toFixed(1)} KB`);
if (scale.length > 0) {
  console.log(`\nscale (${SCALE_RUNS} runs each, medians): modules → \`deck --slides 30\` / \`check\``);
  for (const s of scale) console.log(`  ${String(s.modules).padStart(4)} modules: deck ${ms(s.deck.median)}, check ${ms(s.check.median)}`);
  const [, seventy, sevenHundred] = scale;
  const growth = (k) => (sevenHundred[k].median - seventy[k].median) / (seventy[k].median - scale[0][k].median || 1e-9);
  console.log(
    `  70 → 700 modules adds ${((sevenHundred.deck.median - seventy.deck.median) / 630 * 1000).toFixed(2)} ms per module to the deck (7 → 70: ${((seventy.deck.median - scale[0].deck.median) / 63 * 1000).toFixed(2)}), ${((sevenHundred.check.median - seventy.check.median) / 630 * 1000).toFixed(2)} ms per module to check (7 → 70: ${((seventy.check.median - scale[0].check.median) / 63 * 1000).toFixed(2)}); growth ratio deck ${growth('deck').toFixed(1)}, check ${growth('check').toFixed(1)} (10 = linear)`,
  );
  console.log(`  check on 700 modules: ${ms(sevenHundred.check.median)} (target ≤ 2 s: ${verdict(sevenHundred.check.median <= 2)})`);
} else console.log('\nscale: scripts/gen-pack.mjs not found; no pack-size figures');
if (!hasPandoc) console.log('\npandoc not installed: no comparison (apt-get install pandoc)');
