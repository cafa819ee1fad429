// Writing outputs atomically: every file of a run (the deck or memo, and the stage outputs asked
// for with --emit) is first written in full to a temporary file beside its target; only when all
// are ready are they moved into place, and if one cannot be, those already moved are put back. A
// failed run leaves no partial file, no new folder and no changed file. The target must be an
// ordinary file or a new name: a device, FIFO, socket or folder is refused (a rename would replace
// it), a link is written through to the file it names (the link stays), and an existing file keeps
// its permissions (and, for root, its owner), less any set-user-id bit. A run that writes a folder
// of files (slides as pictures) makes a new folder whole under a temporary name and renames it into
// place, or writes into an existing one as a transaction of files (writeFolderAtomic).
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { physicalPath } from '../physical-path.js';

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

function describe(s: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string | null {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return null;
}

/** Where writing `path` would put the data, or an OutputError (usage) saying why it cannot go there. */
export function outputTarget(path: string): Target {
  const shown = `\`${path}\``;
  if (path.endsWith('/') || path.endsWith(sep))
    throw new OutputError(`${shown} names a folder; give a file name with \`-o\``, true);
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
  // A process's own descriptors (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`) name whatever it
  // was started with: replacing that file would leave the shell writing to the old copy.
  if (/^\/(dev\/(stdin|stdout|stderr|fd\/)|proc\/(self|thread-self|\d+)\/fd\/)/.test(file)) {
    throw new OutputError(
      `${shown} is one of the process's own streams, not a file; write to standard output with \`-o -\``,
      true,
    );
  }
  if (s.isSymbolicLink()) {
    // What the link names, even where it has no path of its own (`/dev/stdout` → a pipe).
    try {
      s = statSync(path);
      if (!describe(s)) file = realpathSync(path);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ELOOP')
        throw new OutputError(`${shown} is a link that points back to itself`, true);
      throw new OutputError(`${shown} is a link to a file that does not exist; give the file itself with \`-o\``, true);
    }
  }
  const kind = describe(s);
  if (kind)
    throw new OutputError(
      `${shown} is ${kind}, not a file; give a file name with \`-o\`${kind === 'a folder' ? '' : ', or `-o -` to write to standard output'}`,
      true,
    );
  // Permissions are kept, but not set-user-id, set-group-id or sticky bits: the content is new.
  return { file, existing: { mode: s.mode & 0o777, uid: s.uid, gid: s.gid } };
}

/** The real path `path` would have once written (for comparing with a run's inputs). */
export function realOutputPath(path: string): string {
  const target = outputTarget(path).file;
  // A new file: the real path of its nearest existing folder, and the names below it.
  return physicalPath(target);
}

/** A name for a temporary file beside `file`: short, whatever the file's name (255 bytes at most). */
function sibling(file: string, kind: 'tmp' | 'old'): string {
  const stem = [...basename(file)].slice(0, 24).join('');
  return join(dirname(file), `.${stem}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`);
}

/** Why an output path may not be written in a run with these inputs, or null. */
export function inputClash(
  real: string,
  run: { inputs: readonly string[]; inputFolders: readonly string[] },
): string | null {
  if (run.inputs.includes(real)) return "is one of this run's inputs";
  const folder = run.inputFolders.find((d) => real === d || real.startsWith(d.endsWith('/') ? d : `${d}/`));
  return folder
    ? "is inside a folder this run reads its inputs from (the pack's `modules/` or the template folder)"
    : null;
}

/** Writes every file, or none. */
export function writeAtomic(files: readonly OutputFile[] | OutputFile): void {
  const list = Array.isArray(files) ? files : [files as OutputFile];
  const targets = list.map((f) => outputTarget(f.path));
  const seen = new Set<string>();
  for (const [i, t] of targets.entries()) {
    if (seen.has(t.file))
      throw new OutputError(`two outputs of this run would both be written to \`${list[i]!.path}\``, true);
    seen.add(t.file);
  }
  // Folders made for the outputs, removed again if the run fails.
  const madeFolders: string[] = [];
  const staged: { tmp: string; file: string; shown: string; existing: boolean }[] = [];
  const undo = () => {
    for (const s of staged) quietly(() => rmSync(s.tmp, { force: true }));
    for (const d of madeFolders.reverse()) quietly(() => rmSync(d, { recursive: true, force: true }));
  };
  for (const [i, f] of list.entries()) {
    const { file, existing } = targets[i]!;
    const dir = dirname(file);
    try {
      const made = mkdirSync(dir, { recursive: true });
      if (made) madeFolders.push(made);
    } catch (cause) {
      undo();
      throw new OutputError(`cannot create the folder \`${dirname(f.path)}\` for \`${f.path}\`: ${reason(cause)}`);
    }
    const tmp = sibling(file, 'tmp');
    let fd: number | null = null;
    try {
      // Exclusive: never through a link or over a file someone put at the temporary name.
      fd = openSync(
        tmp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        existing ? 0o600 : 0o666,
      );
      staged.push({ tmp, file, shown: f.path, existing: existing !== null });
      writeFully(fd, f.data);
      if (existing) {
        if (process.getuid?.() === 0) fchownSync(fd, existing.uid, existing.gid);
        fchmodSync(fd, existing.mode);
      }
      fsyncSync(fd);
    } catch (cause) {
      if (fd !== null) quietly(() => closeSync(fd!));
      fd = null;
      undo();
      throw new OutputError(`cannot write \`${f.path}\`: ${reason(cause)}`);
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }
  commit(staged, undo);
}

/**
 * Moves every staged file into place. One file is a single rename. Several are a small
 * transaction: each existing file is first kept under a second name (a hard link, so it never
 * leaves its place; a copy where links are not possible), then each new file is renamed over its
 * target; if any step fails, the files already replaced get their old content back and new ones
 * are removed, so either every output changes or none does.
 */
function commit(
  staged: readonly { tmp: string; file: string; shown: string; existing: boolean }[],
  undo: () => void,
): void {
  if (staged.length === 1) {
    const s = staged[0]!;
    try {
      renameSync(s.tmp, s.file);
    } catch (cause) {
      undo();
      throw new OutputError(`cannot write \`${s.shown}\`: ${reason(cause)}`);
    }
    return;
  }
  const kept: (string | null)[] = [];
  const placed: boolean[] = [];
  const rollback = () => {
    for (let k = placed.length - 1; k >= 0; k--) {
      if (!placed[k]) continue;
      const s = staged[k]!;
      const old = kept[k];
      quietly(() => (old ? renameSync(old, s.file) : rmSync(s.file, { force: true })));
    }
    for (const old of kept) if (old) quietly(() => rmSync(old, { force: true }));
    undo();
  };
  for (const s of staged) {
    let old: string | null = null;
    if (s.existing) {
      old = sibling(s.file, 'old');
      try {
        try {
          linkSync(s.file, old);
        } catch {
          copyFileSync(s.file, old, constants.COPYFILE_EXCL);
        }
      } catch (cause) {
        rollback();
        throw new OutputError(`cannot write \`${s.shown}\`: ${reason(cause)}`);
      }
    }
    kept.push(old);
    placed.push(false);
  }
  for (const [k, s] of staged.entries()) {
    try {
      renameSync(s.tmp, s.file);
      placed[k] = true;
    } catch (cause) {
      rollback();
      throw new OutputError(`cannot write \`${s.shown}\`: ${reason(cause)}; nothing was changed`);
    }
  }
  for (const old of kept) if (old) quietly(() => rmSync(old, { force: true }));
}

function quietly(step: () => unknown): void {
  try {
    step();
  } catch {
    // Cleaning up after a failure: the failure itself is what gets reported.
  }
}

function reason(cause: unknown): string {
  const e = cause as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a part of the path is not a folder',
    EEXIST: 'a file is in the way',
  };
  return (e.code && known[e.code]) ?? e.message;
}

/**
 * Writes files into a folder, all or none. A new folder is made in full beside its place, under a
 * temporary name, and renamed into place: its files appear together. Into a folder that exists the
 * files go as one transaction (writeAtomic): every file is replaced, or none; what else the folder
 * holds stays. Returns the names of files like `extra` matches that the folder already held and
 * this run did not write (left from an earlier, longer run).
 */
export function writeFolderAtomic(
  path: string,
  files: readonly { name: string; data: Uint8Array | string }[],
  extra?: RegExp,
): string[] {
  const dir = folderTarget(path);
  if (dir.exists) {
    writeAtomic(files.map((f) => ({ path: join(path, f.name), data: f.data })));
    if (!extra) return [];
    const written = new Set(files.map((f) => f.name));
    try {
      return readdirSync(dir.path)
        .filter((n) => extra.test(n) && !written.has(n))
        .sort();
    } catch {
      return [];
    }
  }
  let made: string | undefined;
  try {
    made = mkdirSync(dirname(dir.path), { recursive: true });
  } catch (cause) {
    throw new OutputError(`cannot create the folder \`${dirname(path)}\` for \`${path}\`: ${reason(cause)}`);
  }
  const staging = sibling(dir.path, 'tmp');
  const undo = () => {
    quietly(() => rmSync(staging, { recursive: true, force: true }));
    if (made) quietly(() => rmSync(made!, { recursive: true, force: true }));
  };
  let current = path;
  try {
    mkdirSync(staging);
    for (const f of files) {
      current = join(path, f.name);
      writeWhole(join(staging, f.name), f.data);
    }
    current = path;
    renameSync(staging, dir.path);
  } catch (cause) {
    undo();
    throw new OutputError(`cannot write \`${current}\`: ${reason(cause)}; nothing was written`);
  }
  return [];
}

/** A folder `path` names (through a link), and whether it exists; an OutputError (usage) when it is something else. */
export function folderTarget(path: string): { path: string; exists: boolean } {
  const shown = `\`${path}\``;
  try {
    const s = statSync(path);
    if (!s.isDirectory()) throw new OutputError(`${shown} exists and is not a folder; give a folder with \`-o\``, true);
    return { path: realpathSync(path), exists: true };
  } catch (cause) {
    if (cause instanceof OutputError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new OutputError(`${shown} is inside something that is not a folder`, true);
    if (code !== 'ENOENT') throw new OutputError(`cannot write ${shown}: ${code}`, true);
    // A link to nothing would be replaced by the rename: refused, as for files.
    try {
      if (lstatSync(path).isSymbolicLink())
        throw new OutputError(
          `${shown} is a link to a folder that does not exist; give the folder itself with \`-o\``,
          true,
        );
    } catch (e) {
      if (e instanceof OutputError) throw e;
    }
    return { path: resolve(path), exists: false };
  }
}

/** Writes a new file in full and flushes it to the disk (never through a link or over a file). */
function writeWhole(file: string, data: Uint8Array | string): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  try {
    writeFully(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** All of `data` written to `fd` (a write may take only part of it). */
function writeFully(fd: number, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}
