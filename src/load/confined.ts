// Reading the files a content pack or a template folder contributes. Both are data written by
// someone else (docs/security.md): every file they contribute must resolve, after links, inside
// its own folder, be an ordinary file (never a FIFO, a device, a socket or a folder, which could
// hang a read or stream forever), and stay under a size limit. Files the user names on the command
// line (a build config) are read with the same checks, without the folder rule.
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  type Stats,
} from 'node:fs';
import { sep } from 'node:path';

/** Size limits per kind of file, in bytes (docs/security.md lists them). */
export const LIMITS = Object.freeze({
  /** pack.yaml, modules, theme, strings, audiences, build configs: hand-written text. */
  yaml: 2 * 1024 * 1024,
  /** A Handlebars template or partial. */
  template: 1024 * 1024,
  /** A font file: a full CJK face is 7–20 MB. */
  font: 64 * 1024 * 1024,
  /** A logo. */
  image: 16 * 1024 * 1024,
  /** A reference PowerPoint template (theme.yaml `reference:`); pictures make them large. */
  reference: 64 * 1024 * 1024,
  /** A pack's YAML files together. */
  pack: 16 * 1024 * 1024,
  /** Entries in one folder the loader lists (modules/, partials/, audiences/). */
  entries: 10_000,
});

/**
 * What a load looked at: files read (with a hash of their bytes), folders listed, paths found
 * empty, files checked by size and time. The disk cache keeps a load's result with this record
 * and uses it again only while every entry still holds, so it covers exactly the files the pack
 * and templates use, and scans nothing else (src/load/prepared-cache.ts).
 */
export type Read =
  | { kind: 'file'; path: string; root: string | null; sha1: string }
  | { kind: 'dir'; path: string; root: string | null; names: string[] }
  | { kind: 'absent'; path: string }
  | { kind: 'stat'; path: string; size: number; mtimeMs: number };

let log: Read[] | null = null;

/** Runs `fn`, recording what it reads (nested recordings add to the outer one too). */
export function recordReads<T>(fn: () => T): { value: T; reads: Read[] } {
  const outer = log;
  const reads: Read[] = [];
  log = reads;
  try {
    return { value: fn(), reads };
  } finally {
    log = outer;
    outer?.push(...reads);
  }
}

/** Adds reads made earlier (a result reused from memory) to the recording in progress. */
export function replayReads(reads: readonly Read[]): void {
  log?.push(...reads);
}

/** Records a file checked by its size and modification time only (a font's header). */
export function recordStat(path: string): void {
  if (!log) return;
  try {
    const s = lstatSync(path);
    log.push({ kind: 'stat', path, size: s.size, mtimeMs: s.mtimeMs });
  } catch {
    log.push({ kind: 'absent', path });
  }
}

export type ReadProblem = { code: string; message: string; hint: string };
export type ReadResult = { ok: true; bytes: Buffer; real: string } | ({ ok: false } & ReadProblem);

/** The real path of a folder, or null when it is not an existing folder. */
export function realFolder(dir: string): string | null {
  try {
    const real = realpathSync(dir);
    return lstatSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

/** Whether `real` is `root` or inside it. */
export function isInside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Whether anything (a file, a folder, a link, even a dangling one) is at `path`. */
export function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    log?.push({ kind: 'absent', path });
    return false;
  }
}

export function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not an ordinary file';
}

/**
 * Where `path` really is: its real path, checked against `root` (a real folder path, or null for
 * no folder rule). A link is followed only to a place inside the root.
 */
export function resolveConfined(
  path: string,
  root: string | null,
): { ok: true; real: string } | ({ ok: false } & ReadProblem) {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    let link = false;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch {
      // Nothing there at all.
    }
    if (code === 'ELOOP')
      return {
        ok: false,
        code: 'unreadable-file',
        message: 'is a link that points back to itself',
        hint: 'replace the link with the file itself',
      };
    if (link)
      return {
        ok: false,
        code: 'unreadable-file',
        message: 'is a link to a file that does not exist',
        hint: 'replace the link with the file itself, or remove it',
      };
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return { ok: false, code: 'missing-file', message: 'does not exist', hint: 'check the name and the folder' };
    return {
      ok: false,
      code: 'unreadable-file',
      message: `cannot be read (${code ?? 'error'})`,
      hint: 'check its permissions',
    };
  }
  if (root !== null && !isInside(real, root)) {
    return {
      ok: false,
      code: 'outside-folder',
      message: 'resolves to a place outside its folder',
      hint: 'a pack or template folder may only use its own files: copy the file into the folder instead of linking to it',
    };
  }
  return { ok: true, real };
}

/**
 * Reads a file with the rules above. The file is opened without following a last link (the path
 * is already resolved) and without blocking (a FIFO swapped in after the check cannot hang the
 * run), then checked again on the open descriptor, so what is read is what was checked.
 */
export function readConfined(path: string, root: string | null, maxBytes: number): ReadResult {
  const where = resolveConfined(path, root);
  if (!where.ok) return where;
  let fd: number;
  try {
    fd = openSync(where.real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EISDIR')
      return { ok: false, code: 'not-a-file', message: 'is a folder, not a file', hint: 'name a file' };
    return {
      ok: false,
      code: 'unreadable-file',
      message: `cannot be read (${code ?? 'error'})`,
      hint: 'check its permissions',
    };
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile())
      return {
        ok: false,
        code: 'not-a-file',
        message: `is ${kindOf(s)}, not an ordinary file`,
        hint: 'name an ordinary file',
      };
    if (s.size > maxBytes) return tooLarge(maxBytes);
    // Read to the end, whatever the size said (a file may grow), but never past the limit: into
    // one buffer of the size said, plus a byte to see growth.
    let buffer = Buffer.allocUnsafe(s.size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > maxBytes) return tooLarge(maxBytes);
        const larger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(larger, 0, 0, total);
        buffer = larger;
      }
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > maxBytes) return tooLarge(maxBytes);
    const bytes = buffer.subarray(0, total);
    log?.push({ kind: 'file', path, root, sha1: createHash('sha1').update(bytes).digest('hex') });
    return { ok: true, bytes, real: where.real };
  } catch (cause) {
    return {
      ok: false,
      code: 'unreadable-file',
      message: `cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
      hint: 'check the file',
    };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(maxBytes: number): { ok: false } & ReadProblem {
  const size = maxBytes >= 1024 * 1024 ? `${maxBytes / 1024 / 1024} MiB` : `${maxBytes / 1024} KiB`;
  return {
    ok: false,
    code: 'file-too-large',
    message: `is larger than ${size}`,
    hint: 'content and templates are hand-written: split the file, or use a smaller one',
  };
}

/**
 * The names in a folder of a pack or template folder (sorted), or [] when there is none. The
 * folder itself must resolve inside the root; its entries are checked when they are read.
 */
export function listConfined(dir: string, root: string | null): { names: string[]; problem: ReadProblem | null } {
  const listed = listNow(dir, root);
  if (!listed.problem) log?.push({ kind: 'dir', path: dir, root, names: listed.names });
  return listed;
}

function listNow(dir: string, root: string | null): { names: string[]; problem: ReadProblem | null } {
  if (!present(dir)) return { names: [], problem: null };
  const where = resolveConfined(dir, root);
  if (!where.ok) return { names: [], problem: where };
  try {
    if (!lstatSync(where.real).isDirectory())
      return { names: [], problem: { code: 'not-a-folder', message: 'is not a folder', hint: 'it must be a folder' } };
    const names = readdirSync(where.real).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (names.length > LIMITS.entries)
      return {
        names: [],
        problem: {
          code: 'too-many-files',
          message: `holds more than ${LIMITS.entries} entries`,
          hint: 'split the folder',
        },
      };
    return { names, problem: null };
  } catch (cause) {
    return {
      names: [],
      problem: {
        code: 'unreadable-file',
        message: `cannot be listed (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
        hint: 'check its permissions',
      },
    };
  }
}

/** Whether everything a load read is as it was: the same bytes, the same listings, still absent. */
export function readsHold(reads: readonly Read[]): boolean {
  const outer = log;
  log = null;
  try {
    return reads.every((r) => {
      if (r.kind === 'absent') return !present(r.path);
      // Checked with the folder rule the load used: a file swapped for a link out of the folder
      // is not the same input, even with the same bytes.
      if (r.kind === 'dir') {
        const now = listNow(r.path, r.root);
        return !now.problem && now.names.length === r.names.length && now.names.every((n, i) => n === r.names[i]);
      }
      if (r.kind === 'stat') {
        try {
          const s = lstatSync(r.path);
          return s.size === r.size && s.mtimeMs === r.mtimeMs;
        } catch {
          return false;
        }
      }
      const read = readConfined(r.path, r.root, LIMITS.font);
      return read.ok && createHash('sha1').update(read.bytes).digest('hex') === r.sha1;
    });
  } finally {
    log = outer;
  }
}
