// The result of load + localize, kept on disk between runs: a cold start that finds it skips
// the YAML parser, the schemas and OpenCC. The key covers every file under the pack and template
// folders (path and content: hashing them costs about a millisecond, and unlike modification
// times cannot be fooled by a copy that keeps them), every option, the working folder (paths in
// diagnostics are shown relative to it) and the tool's own build. Only results without errors
// are kept.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheKey, codeIdentity, readCache, writeCache } from '../disk-cache.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { BUILTIN_TEMPLATES } from '../paths.js';
import type { BuildOptions, Prepared } from '../prepare.js';

type PrepareResult = { prepared: Prepared | null; diagnostics: Diagnostic[] };

/** Every file under the folders, with its content's hash; missing folders count too. */
function signature(dirs: readonly string[]): string {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      out.push(`${d}:missing`);
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(`${p}:${createHash('sha1').update(readFileSync(p)).digest('hex')}`);
    }
  };
  for (const d of dirs) walk(d);
  return out.join('\n');
}

function keyOf(options: BuildOptions): string {
  const dirs = [options.content, BUILTIN_TEMPLATES, ...(options.template ? [options.template] : [])];
  return `prepared-${cacheKey(codeIdentity(), process.cwd(), JSON.stringify([options.content, options.template ?? null, options.lang, options.audience, options.date ?? null, options.marking ?? null]), signature(dirs))}.json`;
}

export function readPrepared(options: BuildOptions): { key: string; hit: PrepareResult | null } {
  const key = keyOf(options);
  const data = readCache(key);
  if (!data) return { key, hit: null };
  try {
    const hit = JSON.parse(data.toString('utf8')) as PrepareResult;
    // Only entries this module wrote have this shape; anything else is ignored.
    const ok = Array.isArray(hit?.diagnostics) && typeof hit.prepared?.pack === 'object' && typeof hit.prepared?.templates === 'object';
    return { key, hit: ok ? hit : null };
  } catch {
    return { key, hit: null };
  }
}

export function writePrepared(key: string, result: PrepareResult): void {
  if (!result.prepared || result.diagnostics.some((d) => d.severity === 'error')) return;
  writeCache(key, JSON.stringify(result));
}
