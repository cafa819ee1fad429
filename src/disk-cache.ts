// A best-effort disk cache for work that depends only on files: loaded and validated inputs,
// font metrics, compiled templates. Entries are named by a hash of everything they depend on, so
// a stale entry is never read; a cache that cannot be read or written is simply not used.
//
// Where: a folder `briefing` inside $BRIEFING_CACHE_DIR (only there, when it is set), else inside
// the package's node_modules/.cache, else inside the user's cache folder ($XDG_CACHE_HOME or
// ~/.cache).
// BRIEFING_CACHE=off turns it off. There is no fallback to the system's shared temporary folder:
// compiled templates are code, and a shared folder is where others can plant things.
//
// The cache only ever touches what it made (docs/security.md): its own folder, marked with a
// CACHEDIR.TAG file naming briefing, holding only files named like its entries. The folder must
// be a real folder (not a link), belong to the user running briefing, and be closed to everyone
// else (mode 0700); its parent must not let others (its group included) replace it. Pruning deletes old entries by
// their own name pattern, never anything else.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from './paths.js';

/** The tag of the Cache Directory Tagging Specification (https://bford.info/cachedir/), then our name. */
const MARKER = 'CACHEDIR.TAG';
const MARKER_TEXT =
  'Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache made by briefing (https://www.npmjs.com/package/briefing).\n# Everything in it can be deleted; briefing rebuilds it.\n';
/** Entries: `<kind>-<sha1>.<ext>`; temporary files add `.<pid>.<random>.tmp`. */
const ENTRY = /^(?:prepared|metrics|template)-[0-9a-f]{40}\.(?:json|bin|js)$/;
const TEMPORARY = /^(?:prepared|metrics|template)-[0-9a-f]{40}\.(?:json|bin|js)\.\d+\.[0-9a-f]{6}\.tmp$/;
const FOLDER = 'briefing';

let dir: string | null | undefined;

/** The places to keep the cache folder in, in order of preference. */
function candidates(): string[] {
  // A folder the user names is the only place: if it cannot be used, there is no cache, rather
  // than one somewhere the user did not choose.
  if (process.env.BRIEFING_CACHE_DIR) return [process.env.BRIEFING_CACHE_DIR];
  const out: string[] = [join(PACKAGE_ROOT, 'node_modules', '.cache')];
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg?.startsWith('/')) out.push(xdg);
  else {
    try {
      out.push(join(homedir(), '.cache'));
    } catch {
      // No home folder: no user cache.
    }
  }
  return out;
}

function cacheDir(): string | null {
  if (dir !== undefined) return dir;
  dir = null;
  if (process.env.BRIEFING_CACHE === 'off') return dir;
  for (const base of candidates()) {
    const folder = join(base, FOLDER);
    if (claim(folder)) {
      dir = folder;
      break;
    }
  }
  return dir;
}

/** Where there are no uids (Windows), ownership and modes are not checked. */
const uid = process.getuid?.();

/**
 * Makes `folder` the cache's or refuses it: creates it (0700, with the marker) if it is not
 * there; otherwise takes it only when it is the cache's own, safe folder.
 */
function claim(folder: string): boolean {
  try {
    mkdirSync(dirname(folder), { recursive: true });
    if (uid !== undefined) {
      const parent = lstatSync(dirname(folder));
      // Others who may write to the parent (its group too) could swap the folder, unless the
      // parent is sticky, as /tmp is.
      if ((parent.mode & 0o022) !== 0 && (parent.mode & 0o1000) === 0) return false;
    }
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
    const s = lstatSync(folder);
    if (!s.isDirectory()) return false; // a link, or a file, in its place
    // Closed to everyone else (0700): a folder others may read or write is not changed, only refused.
    if (uid !== undefined && (s.uid !== uid || (s.mode & 0o077) !== 0)) return false;
    if (!hasMarker(folder)) {
      // A folder without the marker is adopted only when everything in it is the cache's own
      // (an older briefing kept entries there without one); anything else is the user's.
      const names = readdirSync(folder);
      if (!names.every((n) => ENTRY.test(n) || TEMPORARY.test(n))) return false;
      writeFileSync(join(folder, MARKER), MARKER_TEXT, { flag: 'wx', mode: 0o600 });
    }
    return true;
  } catch {
    return false;
  }
}

function hasMarker(folder: string): boolean {
  const text = readOwnFile(join(folder, MARKER));
  return text !== null && text.toString('utf8') === MARKER_TEXT;
}

/** An ordinary file's bytes (never through a link), or null. */
function readOwnFile(path: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile() || (uid !== undefined && s.uid !== uid)) return null;
    const out = Buffer.alloc(s.size);
    let n = 0;
    while (n < out.length) {
      const got = readSync(fd, out, n, out.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return n === out.length ? out : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
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
      else if (e.isFile() && /\.[cm]?[jt]s$/.test(e.name)) {
        const s = lstatSync(p);
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
  if (!d || !ENTRY.test(name)) return null;
  return readOwnFile(join(d, name));
}

export function writeCache(name: string, data: Uint8Array | string): void {
  const d = cacheDir();
  if (!d || !ENTRY.test(name)) return;
  const file = join(d, name);
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data, { flag: 'wx', mode: 0o600 });
    renameSync(tmp, file);
    prune(d);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/**
 * Keeps the folder small: past MAX_ENTRIES, the oldest entries go (entries of an older build or
 * of inputs since changed are never read again), and temporary files a killed run left behind.
 * Runs only when an entry was written, and deletes only names of the cache's own pattern.
 */
const MAX_ENTRIES = 200;
const STALE_TEMPORARY_MS = 60 * 60 * 1000;
function prune(d: string): void {
  const names = readdirSync(d);
  const now = Date.now();
  const entries: { n: string; t: number }[] = [];
  for (const n of names) {
    const own = ENTRY.test(n);
    if (!own && !TEMPORARY.test(n)) continue;
    let s: ReturnType<typeof lstatSync>;
    try {
      s = lstatSync(join(d, n));
    } catch {
      continue;
    }
    if (!s.isFile()) continue;
    if (own) entries.push({ n, t: s.mtimeMs });
    else if (now - s.mtimeMs > STALE_TEMPORARY_MS) rmSync(join(d, n), { force: true });
  }
  if (entries.length <= MAX_ENTRIES) return;
  entries.sort((a, b) => a.t - b.t);
  for (const { n } of entries.slice(0, entries.length - MAX_ENTRIES / 2)) rmSync(join(d, n), { force: true });
}

/** The folder in use, for tests and `--json` reports (null when there is none). */
export function cacheFolder(): string | null {
  return cacheDir();
}
