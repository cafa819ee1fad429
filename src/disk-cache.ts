// A best-effort disk cache for work that depends only on files: loaded and validated inputs,
// font metrics, compiled templates. Entries are named by a hash of everything they depend on, so
// a stale entry is never read; a cache that cannot be read or written is simply not used.
// Where: $BRIEFING_CACHE_DIR, else node_modules/.cache/briefing in the package, else a folder of
// the user's own in the system's temporary folder. BRIEFING_CACHE=off turns it off.
// Compiled templates are code, so a folder is used only when it belongs to the user running
// briefing and nobody else can write to it (a shared /tmp must not be able to inject code).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from './paths.js';

let dir: string | null | undefined;

function cacheDir(): string | null {
  if (dir !== undefined) return dir;
  dir = null;
  if (process.env.BRIEFING_CACHE === 'off') return dir;
  const candidates = [process.env.BRIEFING_CACHE_DIR, join(PACKAGE_ROOT, 'node_modules', '.cache', 'briefing'), join(tmpdir(), `briefing-cache-${process.getuid?.() ?? 'user'}`)];
  for (const c of candidates) {
    if (!c) continue;
    try {
      mkdirSync(c, { recursive: true, mode: 0o700 });
      if (!trusted(c)) continue;
      dir = c;
      break;
    } catch {
      // Not writable: try the next place.
    }
  }
  return dir;
}

/** Owned by this user and not writable by anyone else (always true where there are no uids). */
function trusted(folder: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  const s = statSync(folder);
  return s.uid === uid && (s.mode & 0o022) === 0;
}

/** Whether entries can be kept at all (a folder was found, and the cache is not turned off). */
export function cacheAvailable(): boolean {
  return cacheDir() !== null;
}

/**
 * The code's own identity: every file beside and below this module (the bundle's chunks, or the
 * sources when run from them), by name, size and modification time. A cache entry made by any
 * other build of the tool is never used.
 */
let codeId: string | null = null;
export function codeIdentity(): string {
  if (codeId) return codeId;
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.[cm]?[jt]s$/.test(e.name)) {
        const s = statSync(p);
        parts.push(`${p}|${s.size}|${s.mtimeMs}`);
      }
    }
  };
  walk(dirname(fileURLToPath(import.meta.url)));
  codeId = cacheKey(...parts);
  return codeId;
}

export function cacheKey(...parts: readonly (string | number)[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex');
}

export function readCache(name: string): Buffer | null {
  const d = cacheDir();
  if (!d) return null;
  try {
    return readFileSync(join(d, name));
  } catch {
    return null;
  }
}

export function writeCache(name: string, data: Uint8Array | string): void {
  const d = cacheDir();
  if (!d) return;
  const file = join(d, name);
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    prune(d);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/**
 * Keeps the folder small: past MAX_ENTRIES, the oldest entries go (entries of an older build or
 * of inputs since changed are never read again). Runs only when an entry was written.
 */
const MAX_ENTRIES = 200;
function prune(d: string): void {
  const names = readdirSync(d);
  if (names.length <= MAX_ENTRIES) return;
  const dated = names.map((n) => ({ n, t: statSync(join(d, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of dated.slice(0, names.length - MAX_ENTRIES / 2)) rmSync(join(d, n), { force: true });
}
