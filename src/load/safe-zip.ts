// Reading a zip package that may be hostile (a PowerPoint file from anywhere): entries from the
// central directory, each inflated with Node's zlib under a hard cap on its output, so a part that
// lies about its size stops at the size it declared; entries whose data overlap (one compressed
// stream named by many entries, a zip bomb's trick) are refused; stored entries are copied only
// as far as they say. Zip64 and encrypted entries are refused: an Office template needs neither.
import { inflateRawSync } from 'node:zlib';

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipEntryInfo {
  name: string;
  /** What it inflates to, as the zip says (and is held to). */
  size: number;
  compressedSize: number;
  method: number;
  dataStart: number;
}

const MAX_ENTRIES = 100_000;

/** The entries the central directory lists, checked: inside the file, not overlapping. */
export function zipEntries(bytes: Uint8Array): ZipEntryInfo[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: the last signature within its 22 bytes + a 64 KB comment.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new ZipError('is not a zip package');
  const count = buf.readUInt16LE(eocd + 10);
  const dirSize = buf.readUInt32LE(eocd + 12);
  const dirStart = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirStart === 0xffffffff)
    throw new ZipError('is a Zip64 package, which a template never needs');
  if (count > MAX_ENTRIES) throw new ZipError(`has more than ${MAX_ENTRIES} entries`);
  if (dirStart + dirSize > eocd) throw new ZipError('has a damaged central directory');
  const entries: ZipEntryInfo[] = [];
  let p = dirStart;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== 0x02014b50) throw new ZipError('has a damaged central directory');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1) throw new ZipError(`has an encrypted entry (\`${name.slice(0, 80)}\`)`);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50)
      throw new ZipError(`has a damaged entry (\`${name.slice(0, 80)}\`)`);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (dataStart + compressedSize > buf.length) throw new ZipError(`has a damaged entry (\`${name.slice(0, 80)}\`)`);
    if (method !== 0 && method !== 8)
      throw new ZipError(`has an entry compressed in a way Office never uses (\`${name.slice(0, 80)}\`)`);
    if (method === 0 && compressedSize !== size) throw new ZipError(`has a damaged entry (\`${name.slice(0, 80)}\`)`);
    if (name.endsWith('/')) continue;
    entries.push({ name, size, compressedSize, method, dataStart });
  }
  // No two entries may share bytes: each stream is read once.
  const sorted = [...entries].sort((a, b) => a.dataStart - b.dataStart);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    if (prev.compressedSize > 0 && sorted[i]!.dataStart < prev.dataStart + prev.compressedSize)
      throw new ZipError(`has entries that share their data (\`${sorted[i]!.name.slice(0, 80)}\`), as a zip bomb does`);
  }
  return entries;
}

/** One entry's bytes, never more than it declared. */
export function inflateEntry(bytes: Uint8Array, e: ZipEntryInfo): Uint8Array {
  const data = bytes.subarray(e.dataStart, e.dataStart + e.compressedSize);
  if (e.method === 0) return data;
  let out: Buffer;
  try {
    out = e.size === 0 ? Buffer.alloc(0) : inflateRawSync(data, { maxOutputLength: e.size });
  } catch {
    throw new ZipError(`has a damaged part (\`${e.name.slice(0, 80)}\`): it does not inflate to the size it declares`);
  }
  if (out.length !== e.size)
    throw new ZipError(`has a damaged part (\`${e.name.slice(0, 80)}\`): it does not inflate to the size it declares`);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * The entries `keep` accepts (by name and declared size), inflated. `keep` sees every entry, so it
 * can total the sizes; an entry it refuses is not inflated at all.
 */
export function unzipSafe(
  bytes: Uint8Array,
  keep: (e: { name: string; size: number }) => boolean,
): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = Object.create(null);
  for (const e of zipEntries(bytes)) if (keep(e)) out[e.name] = inflateEntry(bytes, e);
  return out;
}
