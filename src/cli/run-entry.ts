// Builds one entry of a matrix and writes it; shared by the build command and its workers.
import { relative } from 'node:path';
import type { BuildEntry } from '../batch/build-config.js';
import { type BuildCache, buildDeck, buildMemo } from '../index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { inputClash, OutputError, realOutputPath, writeAtomic } from './write-output.js';

export interface EntryResult {
  output: string;
  format: 'deck' | 'memo';
  lang: string;
  audience: string;
  length: number;
  ok: boolean;
  bytes: number;
  seconds: number;
  dropped: number;
  diagnostics: Diagnostic[];
}

/** `inputs`: files of the whole build (its config) that no entry may write over. */
export async function runEntry(
  entry: BuildEntry,
  cache: BuildCache,
  cwd: string,
  inputs: readonly string[] = [],
): Promise<EntryResult> {
  const started = performance.now();
  const display = (p: string) => relative(cwd, p) || '.';
  // Paths relative to the working folder are the default; passing no display keeps builds cacheable.
  const base = {
    content: entry.pack,
    template: entry.template,
    lang: entry.lang,
    audience: entry.audience,
    date: entry.date,
    marking: entry.marking,
    ...(cwd === process.cwd() ? {} : { display }),
  };
  const result: EntryResult = {
    output: display(entry.output),
    format: entry.format,
    lang: entry.lang,
    audience: entry.audience,
    length: entry.length,
    ok: false,
    bytes: 0,
    seconds: 0,
    dropped: 0,
    diagnostics: [],
  };
  try {
    const outcome =
      entry.format === 'deck'
        ? await buildDeck({ ...base, slides: entry.length }, cache)
        : await buildMemo({ ...base, pages: entry.length }, cache);
    result.diagnostics = outcome.diagnostics;
    const clash = outcome.ok
      ? inputClash(realOutputPath(entry.output), {
          inputs: [...outcome.result.inputs, ...inputs],
          inputFolders: outcome.result.inputFolders,
        })
      : null;
    if (outcome.ok && clash) {
      result.diagnostics = [
        ...outcome.diagnostics,
        {
          severity: 'error',
          code: 'output-is-input',
          message: `\`${result.output}\` ${clash.replace("this run's", "this build's")}; the entry's \`output\` must name another file`,
          hints: ['check `output` in the build config'],
        },
      ];
    } else if (outcome.ok) {
      writeAtomic({ path: entry.output, data: outcome.result.bytes });
      result.ok = true;
      result.bytes = outcome.result.bytes.length;
      result.dropped = outcome.result.drops.length;
    }
  } catch (cause) {
    if (cause instanceof OutputError) {
      result.diagnostics = [
        ...result.diagnostics,
        {
          severity: 'error',
          code: cause.usage ? 'output-path' : 'cannot-write',
          message: cause.message,
          hints: cause.usage ? ['check `output` in the build config'] : [],
        },
      ];
      result.seconds = (performance.now() - started) / 1000;
      return result;
    }
    // One entry's failure, even a bug, must not stop the others; it is reported like any failure.
    result.diagnostics = [
      {
        severity: 'error',
        code: 'internal',
        message: `internal error: ${(cause as Error).message}`,
        hints: ['this is a bug in briefing; please report it'],
      },
    ];
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
