// Writing outputs atomically: every file of a run (the deck or memo, and the stage outputs asked
// for with --emit) is first written in full to a temporary file beside its target; only when all
// are ready are they renamed into place. A failed run leaves no partial file and touches no
// existing one. The target must be an ordinary file or a new name: a device, FIFO, socket or
// folder is refused (a rename would replace it), a link is written through to the file it names
// (the link stays), and an existing file keeps its permissions (and, for root, its owner).
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fchownSync, fsyncSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** A file that cannot be written; `usage` when the path itself is wrong (exit 2), not the disk. */
export class OutputError extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

export interface OutputFile {
  path: string;
  data: Uint8Array | string;
}

interface Target {
  /** The path the data goes to: `path` itself, or the file a link at `path` names. */
  file: string;
  /** The existing file's permissions and owner, kept. */
  existing: { mode: number; uid: number; gid: number } | null;
}

function describe(s: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string | null {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return null;
}

/** Where writing `path` would put the data, or an OutputError (usage) saying why it cannot go there. */
export function outputTarget(path: string): Target {
  const shown = `\`${path}\``;
  let s: ReturnType<typeof lstatSync>;
  try {
    s = lstatSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { file: resolve(path), existing: null };
    if (code === 'ENOTDIR') throw new OutputError(`${shown} is inside something that is not a folder`, true);
    throw new OutputError(`cannot write ${shown}: ${code}`, true);
  }
  let file = resolve(path);
  if (s.isSymbolicLink()) {
    // What the link names, even where it has no path of its own (`/dev/stdout` → a pipe).
    try {
      s = statSync(path);
      if (!describe(s)) file = realpathSync(path);
    } catch {
      throw new OutputError(`${shown} is a link to a file that does not exist; give the file itself with \`-o\``, true);
    }
  }
  const kind = describe(s);
  if (kind) throw new OutputError(`${shown} is ${kind}, not a file; give a file name with \`-o\`${kind === 'a folder' ? '' : ', or `-o -` to write to standard output'}`, true);
  return { file, existing: { mode: s.mode & 0o7777, uid: s.uid, gid: s.gid } };
}

/** The real path `path` would have once written (for comparing with a run's inputs). */
export function realOutputPath(path: string): string {
  const target = outputTarget(path).file;
  try {
    return realpathSync(target);
  } catch {
    // A new file: its folder's real path (if the folder exists) and its name.
    try {
      return join(realpathSync(dirname(target)), basename(target));
    } catch {
      return target;
    }
  }
}

/** Writes every file, or none. */
export function writeAtomic(files: readonly OutputFile[] | OutputFile): void {
  const list = Array.isArray(files) ? files : [files as OutputFile];
  const targets = list.map((f) => outputTarget(f.path));
  const seen = new Set<string>();
  for (const [i, t] of targets.entries()) {
    if (seen.has(t.file)) throw new OutputError(`two outputs of this run would both be written to \`${list[i]!.path}\``, true);
    seen.add(t.file);
  }
  const staged: { tmp: string; file: string; shown: string }[] = [];
  const discard = () => {
    for (const s of staged) rmSync(s.tmp, { force: true });
  };
  for (const [i, f] of list.entries()) {
    const { file, existing } = targets[i]!;
    const dir = dirname(file);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (cause) {
      discard();
      throw new OutputError(`cannot create the folder \`${dirname(f.path)}\` for \`${f.path}\`: ${reason(cause)}`);
    }
    const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    let fd: number | null = null;
    try {
      // `wx`: never through a link or over a file someone put at the temporary name.
      fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, existing ? 0o600 : 0o666);
      staged.push({ tmp, file, shown: f.path });
      const data = typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data;
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
      if (existing) {
        if (process.getuid?.() === 0) fchownSync(fd, existing.uid, existing.gid);
        fchmodSync(fd, existing.mode);
      }
      fsyncSync(fd);
    } catch (cause) {
      if (fd !== null) closeSync(fd);
      fd = null;
      discard();
      throw new OutputError(`cannot write \`${f.path}\`: ${reason(cause)}`);
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }
  for (const [k, s] of staged.entries()) {
    try {
      renameSync(s.tmp, s.file);
    } catch (cause) {
      for (const rest of staged.slice(k)) rmSync(rest.tmp, { force: true });
      throw new OutputError(`cannot write \`${s.shown}\`: ${reason(cause)}`);
    }
  }
}

function reason(cause: unknown): string {
  const e = cause as NodeJS.ErrnoException;
  const known: Record<string, string> = { ENOSPC: 'the disk is full', EDQUOT: 'the disk quota is used up', EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'the file system is read-only', ENOTDIR: 'a part of the path is not a folder', EEXIST: 'a file is in the way' };
  return (e.code && known[e.code]) ?? e.message;
}
