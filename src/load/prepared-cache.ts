// The result of load + localize, kept on disk between runs: a cold start that finds it skips
// the YAML parser, the schemas and OpenCC. An entry is named by the options, the working folder
// (paths in diagnostics are shown relative to it) and the tool's own build; it holds the result
// and the record of what the load read (./confined.ts `Read`): every file with a hash of its
// bytes, every folder listing, every path found empty. It is used only while all of that still
// holds, so the check reads exactly the files the pack and templates use, never a whole folder
// tree, and nothing at all when the cache is off. Only results without errors are kept.
import { cacheAvailable, cacheKey, codeIdentity, readCache, writeCache } from '../disk-cache.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { BuildOptions, Prepared } from '../prepare.js';
import { type Read, readsHold } from './confined.js';

type PrepareResult = { prepared: Prepared | null; diagnostics: Diagnostic[] };

function keyOf(options: BuildOptions): string {
  return `prepared-${cacheKey(codeIdentity(), process.cwd(), JSON.stringify([options.content, options.template ?? null, options.lang, options.audience, options.date ?? null, options.marking ?? null, options.deepCheck ?? false]))}.json`;
}

/** The entry's key (null when there is no cache) and its result, when every input is unchanged. */
export function readPrepared(options: BuildOptions): { key: string | null; hit: PrepareResult | null } {
  if (!cacheAvailable()) return { key: null, hit: null };
  const key = keyOf(options);
  const data = readCache(key);
  if (!data) return { key, hit: null };
  try {
    const entry = JSON.parse(data.toString('utf8')) as { reads?: Read[]; result?: PrepareResult };
    const hit = entry.result;
    // Only entries this module wrote have this shape; anything else is ignored.
    const ok =
      Array.isArray(entry.reads) &&
      Array.isArray(hit?.diagnostics) &&
      typeof hit?.prepared?.pack === 'object' &&
      typeof hit.prepared?.templates === 'object' &&
      Array.isArray(hit.prepared?.inputs) &&
      Array.isArray(hit.prepared?.inputFolders);
    return { key, hit: ok && readsHold(entry.reads!) ? hit! : null };
  } catch {
    return { key, hit: null };
  }
}

export function writePrepared(key: string, result: PrepareResult, reads: readonly Read[]): void {
  if (!result.prepared || result.diagnostics.some((d) => d.severity === 'error')) return;
  writeCache(key, JSON.stringify({ reads, result }));
}
