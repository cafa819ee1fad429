// `briefing build`: a declared matrix built in one process (or a few worker threads), with a
// progress bar on a terminal, a summary table, and every failure listed.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type BuildEntry, expandMatrix, loadBuildConfig, shardOf } from '../batch/build-config.js';
import { newBuildCache } from '../index.js';
import { loadPack } from '../load/load-pack.js';
import { loadAudiences } from '../load/load-templates.js';
import { languageSource } from '../localize/localize-pack.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { LANGS, type Lang } from '../model/lang.js';
import { BUILTIN_TEMPLATES, DEFAULT_PACK, PACKAGE_ROOT } from '../paths.js';
import { escapeControls } from '../printable.js';
import { beforeStop, interrupted } from './interrupt.js';
import { formatBytes, type Printer, printDiagnostics, safeJson } from './print.js';
import { type EntryResult, runEntry } from './run-entry.js';
import { realOutputPath } from './write-output.js';

export interface BuildCommandOptions {
  config?: string;
  shard?: string;
  jobs?: string;
  json?: boolean;
  quiet?: boolean;
  isTTY: boolean;
}

export class BuildUsageError extends Error {}

export async function runBuildCommand(opts: BuildCommandOptions, io: Printer): Promise<number> {
  const started = performance.now();
  const cwd = process.cwd();
  const display = (p: string) => relative(cwd, p) || '.';
  const configFile = opts.config
    ? resolve(opts.config)
    : existsSync(resolve('briefing.config.yaml'))
      ? resolve('briefing.config.yaml')
      : join(PACKAGE_ROOT, 'briefing.config.yaml');
  if (!existsSync(configFile)) throw new BuildUsageError(`no build config at \`${display(configFile)}\``);
  const [index, count] = parseShard(opts.shard);
  const jobs = opts.jobs === undefined ? 1 : Number(opts.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16)
    throw new BuildUsageError(`--jobs takes a whole number from 1 to 16, got \`${opts.jobs}\``);

  const { config, diagnostics } = loadBuildConfig(configFile, display);
  if (!config) {
    printDiagnostics(diagnostics, io);
    return 1;
  }
  const baseDir = dirname(configFile);
  const templateDir = config.template ? resolve(baseDir, config.template) : null;
  const { entries: all, diagnostics: matrixProblems } = expandMatrix(config, {
    baseDir,
    cwd,
    defaultPack: DEFAULT_PACK,
    audiences: () =>
      loadAudiences(templateDir ? [templateDir, BUILTIN_TEMPLATES] : [BUILTIN_TEMPLATES], display, []).map((a) => a.id),
    languages: (pack) => {
      const loaded = loadPack(pack, { display });
      return loaded.pack ? LANGS.filter((l) => languageSource(loaded.pack!, l) !== null) : (['en'] as Lang[]);
    },
  });
  if (matrixProblems.length > 0) {
    printDiagnostics(matrixProblems, io);
    return 1;
  }
  const entries = shardOf(all, index, count);
  const inputs = [realOutputPath(configFile)];
  const results =
    jobs > 1
      ? await runInWorkers(entries, jobs, cwd, inputs, (r, done) => progress(r, done, entries.length, opts, io))
      : await runHere(entries, cwd, inputs, (r, done) => progress(r, done, entries.length, opts, io));
  if (opts.isTTY && !opts.json && !opts.quiet) io.err('\u001b[2K\r\u001b[1A'); // clear the progress line

  const seconds = (performance.now() - started) / 1000;
  const peakMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const failed = results.filter((r) => !r.ok);
  if (opts.json) {
    io.out(
      safeJson({
        ok: failed.length === 0,
        shard: `${index}/${count}`,
        built: results.length - failed.length,
        failed: failed.length,
        seconds: round(seconds),
        peakMemoryMB: peakMB,
        entries: results.map((r) => ({ ...r, seconds: round(r.seconds) })),
      }),
    );
  } else {
    if (!opts.quiet) io.out(summaryTable(results));
    for (const r of failed) {
      io.err(`FAILED ${escapeControls(r.output)}`);
      printDiagnostics(
        r.diagnostics.filter((d) => d.severity === 'error'),
        io,
      );
    }
    io.out(
      `${results.length - failed.length} of ${results.length} built${count > 1 ? ` (shard ${index}/${count} of ${all.length})` : ''} in ${seconds.toFixed(2)} s, peak memory ${peakMB} MB${failed.length ? `; ${failed.length} failed` : ''}`,
    );
  }
  // An output that would replace an input or is not a file is a usage error, as for `deck`.
  if (failed.some((r) => r.diagnostics.some((d) => d.code === 'output-is-input' || d.code === 'output-path'))) return 2;
  return failed.length > 0 ? 1 : 0;
}

function parseShard(shard: string | undefined): [number, number] {
  if (shard === undefined) return [1, 1];
  const m = /^(\d+)\/(\d+)$/.exec(shard.trim());
  const [i, n] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || n < 1 || i < 1 || i > n)
    throw new BuildUsageError(`--shard takes I/N with 1 ≤ I ≤ N, such as \`2/4\`; got \`${shard}\``);
  return [i, n];
}

async function runHere(
  entries: readonly BuildEntry[],
  cwd: string,
  inputs: readonly string[],
  report: (r: EntryResult, done: number) => void,
): Promise<EntryResult[]> {
  const cache = newBuildCache();
  const results: EntryResult[] = [];
  for (const entry of entries) {
    const r = await runEntry(entry, cache, cwd, inputs);
    results.push(r);
    report(r, results.length);
  }
  return results;
}

/** Entries handed out one at a time to `jobs` worker threads; results kept in matrix order. */
async function runInWorkers(
  entries: readonly BuildEntry[],
  jobs: number,
  cwd: string,
  inputs: readonly string[],
  report: (r: EntryResult, done: number) => void,
): Promise<EntryResult[]> {
  const results: EntryResult[] = new Array(entries.length);
  let next = 0;
  let done = 0;
  const workerFile = new URL('./build-worker.js', import.meta.url);
  let running: Promise<unknown> = Promise.resolve();
  const remove = beforeStop(() => running.then(() => undefined));
  running = Promise.all(
    Array.from(
      { length: Math.min(jobs, entries.length) },
      () =>
        new Promise<void>((resolveWorker, reject) => {
          const worker = new Worker(workerFile, { workerData: { cwd, inputs } });
          let current = -1;
          const send = () => {
            // After a signal no new entry starts; the one in progress finishes (see interrupt.ts).
            if (next >= entries.length || interrupted()) {
              worker.postMessage(null);
              return;
            }
            current = next++;
            worker.postMessage({ entry: entries[current] });
          };
          worker.on('message', (r: EntryResult) => {
            results[current] = r;
            report(r, ++done);
            send();
          });
          worker.on('error', reject);
          worker.on('exit', () => resolveWorker());
          send();
        }),
    ),
  );
  try {
    await running;
  } finally {
    remove();
  }
  return results;
}

function progress(r: EntryResult, done: number, total: number, opts: BuildCommandOptions, io: Printer): void {
  if (opts.json || opts.quiet) return;
  const length = r.format === 'deck' ? `${r.length} slides` : `${r.length} page${r.length === 1 ? '' : 's'}`;
  if (opts.isTTY) {
    const width = 24;
    const filled = Math.round((done / total) * width);
    process.stderr.write(
      `\u001b[2K\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${r.ok ? '' : 'FAILED '}${escapeControls(r.output)}`,
    );
  } else {
    io.out(
      `[${done}/${total}] ${r.ok ? 'ok    ' : 'FAILED'} ${escapeControls(r.output)}  ${length}  ${r.ok ? formatBytes(r.bytes) : ''}  ${r.seconds.toFixed(2)} s`,
    );
  }
}

function summaryTable(results: readonly EntryResult[]): string {
  const rows = results.map((r) => [
    escapeControls(r.output),
    r.format === 'deck' ? `${r.length} slides` : `${r.length} p.`,
    r.ok ? formatBytes(r.bytes) : '-',
    `${r.seconds.toFixed(2)} s`,
    r.ok ? (r.dropped ? `ok, ${r.dropped} left out` : 'ok') : `FAILED: ${firstError(r.diagnostics)}`,
  ]);
  const head = ['file', 'length', 'size', 'time', 'status'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function firstError(ds: readonly Diagnostic[]): string {
  const e = ds.find((d) => d.severity === 'error');
  return e ? e.code : 'unknown';
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
