// A TrueType font as the PDF renderer embeds it, read from the file's tables without fontkit: the
// directory and the small tables once per process, then only the outlines a document draws. A
// Chinese font is 7 MB, nearly all of it outlines (`glyf`), of which a memo draws a few hundred.
// The subset is written exactly as fontkit's TTFSubset writes it, which pdfkit would otherwise use.
// The same subset can also be written as a font a browser loads (`encodeForWeb`): with a `cmap`,
// `name`, `OS/2` and `post`, its tables sorted, aligned and checksummed, as the OpenType Sanitizer
// (Chrome, Firefox) requires; the SVG export embeds it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

interface TableEntry {
  offset: number;
  length: number;
}

/** What pdfkit reads from a font to describe it (its FontDescriptor), in fontkit's names. */
export interface FaceInfo {
  postscriptName: string | null;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  lineGap: number;
  /** Undefined where fontkit gives undefined (an OS/2 table older than version 2). */
  capHeight: number | undefined;
  xHeight: number | undefined;
  italicAngle: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  familyClass: number;
  fixedPitch: boolean;
  italic: boolean;
  checkSumAdjustment: number;
  /** The raw `name` table, so two registrations of one font are told apart as fontkit does. */
  names: string;
}

/** How font matchers (CSS, resvg's fontdb) name a face: its family, weight class and style. */
export interface FaceName {
  /** The typographic family (`name` id 16), else the family (id 1); null when the font has neither. */
  family: string | null;
  weight: number;
  italic: boolean;
}

export interface TrueTypeFile {
  file: string;
  info: FaceInfo;
  face: FaceName;
  numGlyphs: number;
  /** A glyph's advance and left side bearing, from `hmtx`. */
  metrics(id: number): { advance: number; bearing: number };
  /** A subset: glyph ids in the order they are included, written as a font by `encode`. */
  createSubset(): TrueTypeSubset;
}

export interface TrueTypeSubset {
  /** The glyph's id in the subset, including it if it is not yet. */
  includeGlyph(id: number): number;
  encode(): Uint8Array;
  /**
   * The subset as a browser loads it: also a `cmap` from `codePoints` (code point → glyph id in the
   * subset), the font's `name` and `OS/2`, and a `post` without glyph names. No `GSUB`, `GPOS` or
   * `kern`: whatever draws it can only advance glyph by glyph, as layout measured.
   */
  encodeForWeb(codePoints: ReadonlyMap<number, number>): Uint8Array;
}

/** Tables copied into a subset, in the order fontkit writes them. */
const SUBSET_TABLES = ['head', 'hhea', 'loca', 'maxp', 'cvt ', 'prep', 'glyf', 'hmtx', 'fpgm'] as const;

/** Whether a file is a TrueType font with outlines in `glyf` (not CFF, not a collection or WOFF). */
function isTrueType(tag: number, tables: Map<string, TableEntry>): boolean {
  return (tag === 0x00010000 || tag === 0x74727565) && tables.has('glyf') && tables.has('loca');
}

/**
 * The font in `file` if it is a TrueType font with `glyf` outlines, else null (the caller uses
 * fontkit). Reads the table directory and every table but the outlines; checks what a subset
 * relies on (tables inside the file, the glyph index in order and inside `glyf`, enough metrics),
 * so a damaged font fails here, where the file is named. Throws on a damaged font.
 */
export function openTrueType(file: string): TrueTypeFile | null {
  return withFile(file, (read, size) => {
    const header = read(0, 12);
    const count = header.readUInt16BE(4);
    const dir = read(12, count * 16);
    const tables = new Map<string, TableEntry>();
    for (let i = 0; i < count; i++) {
      const e = { offset: dir.readUInt32BE(i * 16 + 8), length: dir.readUInt32BE(i * 16 + 12) };
      if (e.offset + e.length > size) throw new Error('a table lies outside the file');
      tables.set(dir.toString('latin1', i * 16, i * 16 + 4), e);
    }
    if (!isTrueType(header.readUInt32BE(0), tables)) return null;
    const raw = new Map<string, Buffer>();
    for (const [tag, e] of tables) if (NEEDED.has(tag)) raw.set(tag, read(e.offset, e.length));
    return trueTypeFrom(file, raw, tables.get('glyf')!);
  });
}

/** Calls `use` with a reader of byte ranges of `file`, open for that long. */
function withFile<T>(file: string, use: (read: (offset: number, length: number) => Buffer, size: number) => T): T {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    return use((offset, length) => {
      if (offset < 0 || length < 0 || offset + length > size) throw new Error('a table lies outside the file');
      const out = Buffer.alloc(length);
      for (let n = 0; n < length; ) {
        const got = readSync(fd, out, n, length - n, offset + n);
        if (got === 0) throw new Error('the file ended early');
        n += got;
      }
      return out;
    }, size);
  } finally {
    closeSync(fd);
  }
}

const NEEDED = new Set(['head', 'hhea', 'maxp', 'loca', 'hmtx', 'OS/2', 'post', 'name', 'cvt ', 'prep', 'fpgm']);

function need(raw: Map<string, Buffer>, tag: string, min: number): Buffer {
  const t = raw.get(tag);
  if (!t) throw new Error(`no \`${tag}\` table`);
  if (t.length < min) throw new Error(`the \`${tag}\` table is too short`);
  return t;
}

function trueTypeFrom(file: string, raw: Map<string, Buffer>, glyf: TableEntry): TrueTypeFile {
  const head = need(raw, 'head', 54);
  const hhea = need(raw, 'hhea', 36);
  const maxp = need(raw, 'maxp', 6);
  const loca = need(raw, 'loca', 0);
  const hmtx = need(raw, 'hmtx', 0);
  const post = need(raw, 'post', 32);
  const os2 = raw.get('OS/2');
  checkVersions(post, os2, raw.get('name'));
  const unitsPerEm = head.readUInt16BE(18);
  if (!(unitsPerEm > 0)) throw new Error('no units per em');
  const numGlyphs = maxp.readUInt16BE(4);
  const longLoca = head.readInt16BE(50);
  if (longLoca !== 0 && longLoca !== 1) throw new Error(`the glyph index format is ${longLoca}`);
  // The glyph index: one entry per glyph and one more, in order, none past the outlines' end.
  const entry = longLoca ? 4 : 2;
  if (loca.length < (numGlyphs + 1) * entry)
    throw new Error(`the glyph index has room for ${Math.floor(loca.length / entry) - 1} glyphs, not ${numGlyphs}`);
  // DataViews, not Buffer's readers: over the 20,000 entries of Noto Sans TC, those took 15–25
  // ms before the code warmed up, DataView 1–3 ms.
  const index = new DataView(loca.buffer, loca.byteOffset, loca.length);
  const offsets = new Uint32Array(numGlyphs + 1);
  for (let i = 0, last = 0; i <= numGlyphs; i++) {
    const at = longLoca ? index.getUint32(i * 4) : index.getUint16(i * 2) * 2;
    if (at < last || at > glyf.length) throw new Error(`the glyph index is damaged at glyph ${i}`);
    offsets[i] = last = at;
  }
  const longMetrics = hhea.readUInt16BE(34);
  if (longMetrics < 1 || hmtx.length < longMetrics * 4) throw new Error('the `hmtx` table is too short');
  const bearings = Math.floor((hmtx.length - longMetrics * 4) / 2);
  const widths = new DataView(hmtx.buffer, hmtx.byteOffset, hmtx.length);
  const metrics = (id: number) => {
    // fontkit's rule: past the long entries, the last advance and a bearing of their own (or 0).
    if (id < longMetrics) return { advance: widths.getUint16(id * 4), bearing: widths.getInt16(id * 4 + 2) };
    const b = id - longMetrics;
    return {
      advance: widths.getUint16((longMetrics - 1) * 4),
      bearing: b < bearings ? widths.getInt16(longMetrics * 4 + b * 2) : 0,
    };
  };
  const os2Version = os2 ? os2.readUInt16BE(0) : -1;
  const ascent = hhea.readInt16BE(4);
  const info: FaceInfo = {
    postscriptName: postscriptName(raw.get('name')),
    unitsPerEm,
    ascent,
    descent: hhea.readInt16BE(6),
    lineGap: hhea.readInt16BE(8),
    capHeight: !os2 ? ascent : os2Version >= 2 ? os2.readInt16BE(88) : undefined,
    xHeight: !os2 ? 0 : os2Version >= 2 ? os2.readInt16BE(86) : undefined,
    italicAngle: post.readInt32BE(4) / 65536,
    bbox: {
      minX: head.readInt16BE(36),
      minY: head.readInt16BE(38),
      maxX: head.readInt16BE(40),
      maxY: head.readInt16BE(42),
    },
    familyClass: os2 ? os2.readInt16BE(30) : 0,
    fixedPitch: post.readUInt32BE(12) !== 0,
    italic: (head.readUInt16BE(44) & 2) !== 0,
    checkSumAdjustment: head.readUInt32BE(8),
    names: raw.get('name')?.toString('latin1') ?? '',
  };
  const face: FaceName = {
    family: nameString(raw.get('name'), 16) ?? nameString(raw.get('name'), 1),
    weight: os2 ? os2.readUInt16BE(4) : (head.readUInt16BE(44) & 1) !== 0 ? 700 : 400,
    italic: os2 ? (os2.readUInt16BE(62) & 0x201) !== 0 : info.italic,
  };
  return {
    file,
    info,
    face,
    numGlyphs,
    metrics,
    createSubset: () => subsetOf({ file, raw, offsets, metrics, longLoca: longLoca === 1, numGlyphs, glyf }),
  };
}

/** OS/2 table sizes by version. */
const OS2_SIZE = [78, 86, 96, 96, 96, 100];

/**
 * Versions of the tables read here that fontkit knows (others it refuses, and so do we): the font
 * would otherwise be described by data of a layout not its own.
 */
function checkVersions(post: Buffer, os2: Buffer | undefined, name: Buffer | undefined): void {
  if (![0x10000, 0x20000, 0x25000, 0x30000, 0x40000].includes(post.readUInt32BE(0)))
    throw new Error(`the \`post\` table has an unknown version`);
  if (os2) {
    const v = os2.length >= 2 ? os2.readUInt16BE(0) : -1;
    if (!(v >= 0 && v < OS2_SIZE.length)) throw new Error('the `OS/2` table has an unknown version');
    if (os2.length < OS2_SIZE[v]!) throw new Error('the `OS/2` table is too short');
  }
  if (name && !(name.length >= 6 && name.readUInt16BE(0) <= 1)) throw new Error('the `name` table is damaged');
}

/** The PostScript name as fontkit reads it (`name` id 6). */
function postscriptName(name: Buffer | undefined): string | null {
  return nameString(name, 6);
}

/**
 * A string of the `name` table as fontkit reads it: the English Windows record, else the Mac
 * Roman one, else the first there is.
 */
function nameString(name: Buffer | undefined, wanted: number): string | null {
  if (!name || name.length < 6) return null;
  const count = name.readUInt16BE(2);
  const strings = name.readUInt16BE(4);
  let best: { rank: number; text: string } | null = null;
  for (let i = 0; i < count && 6 + i * 12 + 12 <= name.length; i++) {
    const r = 6 + i * 12;
    const [platform, encoding, language, id, length, offset] = [0, 2, 4, 6, 8, 10].map((o) => name.readUInt16BE(r + o));
    if (id !== wanted) continue;
    const start = strings + offset!;
    if (start + length! > name.length) continue;
    const bytes = name.subarray(start, start + length!);
    let text = '';
    if (platform === 0 || platform === 3)
      for (let j = 0; j + 1 < bytes.length; j += 2) text += String.fromCharCode(bytes.readUInt16BE(j));
    else text = bytes.toString('latin1');
    const rank = platform === 3 && encoding === 1 && language === 0x409 ? 0 : platform === 1 && language === 0 ? 1 : 2;
    if (!best || rank < best.rank) best = { rank, text };
  }
  return best?.text ?? null;
}

interface SubsetSource {
  file: string;
  raw: Map<string, Buffer>;
  offsets: Uint32Array;
  metrics: (id: number) => { advance: number; bearing: number };
  longLoca: boolean;
  numGlyphs: number;
  glyf: TableEntry;
}

// Composite glyph flags (OpenType `glyf`).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

function subsetOf(src: SubsetSource): TrueTypeSubset {
  const glyphs: number[] = [];
  const mapping = new Map<number, number>();
  const includeGlyph = (id: number): number => {
    let to = mapping.get(id);
    if (to === undefined) {
      if (!(id >= 0 && id < src.numGlyphs)) throw new Error(`glyph ${id} is not in the font`);
      glyphs.push(id);
      to = glyphs.length - 1;
      mapping.set(id, to);
    }
    return to;
  };
  // Always the missing glyph first, as in every TrueType font.
  includeGlyph(0);
  const readOutlines = (read: (offset: number, length: number) => Buffer, ids: readonly number[]) =>
    readOutlinesFrom(src, read, ids);
  /** A glyph's outline as read, its components (if any) renumbered to (and included in) the subset. */
  const renumbered = (id: number, read: Buffer): Buffer => {
    if (read.length < 10 || read.readInt16BE(0) >= 0) return read;
    const buf = Buffer.from(read);
    for (let pos = 10; ; ) {
      if (pos + 4 > buf.length) throw new Error(`glyph ${id} is damaged`);
      const flags = buf.readUInt16BE(pos);
      buf.writeUInt16BE(includeGlyph(buf.readUInt16BE(pos + 2)), pos + 2);
      pos += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
      if (flags & WE_HAVE_A_SCALE) pos += 2;
      else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) pos += 4;
      else if (flags & WE_HAVE_A_TWO_BY_TWO) pos += 8;
      if (!(flags & MORE_COMPONENTS)) return buf;
    }
  };
  /** The subset's tables, the outlines of its glyphs read from the file now. */
  const tables = (): Record<(typeof SUBSET_TABLES)[number], Buffer | undefined> => {
    // The outlines of the glyphs drawn, read in rounds: the glyphs not yet read, in one pass with
    // neighbours read together (each read costs more than a few KB of copying); the composite
    // glyphs among them add their parts for the next round. The order of the glyphs is the one
    // reading them one by one would give.
    const data: Buffer[] = [];
    withFile(src.file, (read) => {
      for (let done = 0; done < glyphs.length; ) {
        const round = glyphs.slice(done);
        const outlines = readOutlines(read, round);
        round.forEach((id, k) => {
          data[done + k] = renumbered(id, outlines[k]!);
        });
        done += round.length;
      }
    });
    const n = glyphs.length;
    const glyfBytes = Buffer.concat(data);
    const loca = Buffer.alloc((n + 1) * (src.longLoca ? 4 : 2));
    const hmtx = Buffer.alloc(n * 4);
    let offset = 0;
    for (let i = 0; i <= n; i++) {
      if (src.longLoca) loca.writeUInt32BE(offset, i * 4);
      else loca.writeUInt16BE(offset >>> 1, i * 2);
      if (i === n) break;
      const m = src.metrics(glyphs[i]!);
      hmtx.writeUInt16BE(m.advance, i * 4);
      hmtx.writeInt16BE(m.bearing, i * 4 + 2);
      offset += data[i]!.length;
    }
    const head = Buffer.from(src.raw.get('head')!.subarray(0, 54));
    head.writeInt16BE(src.longLoca ? 1 : 0, 50);
    const hhea = Buffer.from(src.raw.get('hhea')!.subarray(0, 36));
    hhea.writeUInt16BE(n, 34);
    const maxp = Buffer.from(src.raw.get('maxp')!);
    maxp.writeUInt16BE(n, 4);
    return {
      head,
      hhea,
      loca,
      maxp,
      'cvt ': src.raw.get('cvt '),
      prep: src.raw.get('prep'),
      glyf: glyfBytes,
      hmtx,
      fpgm: src.raw.get('fpgm'),
    };
  };
  return {
    includeGlyph,
    encode() {
      const parts = tables();
      return sfnt(SUBSET_TABLES.flatMap((tag) => (parts[tag] ? [[tag, parts[tag]] as const] : [])));
    },
    encodeForWeb(codePoints) {
      for (const gid of codePoints.values())
        if (!(gid >= 0 && gid < glyphs.length)) throw new Error(`glyph ${gid} is not in the subset`);
      const parts: Record<string, Buffer | undefined> = {
        ...tables(),
        cmap: cmapTable(codePoints),
        name: src.raw.get('name'),
        'OS/2': src.raw.get('OS/2'),
        post: postWithoutNames(src.raw.get('post')!),
      };
      return webSfnt(Object.entries(parts).flatMap(([tag, data]) => (data ? [[tag, data] as const] : [])));
    },
  };
}

/** Glyphs closer than this in the file are read together. */
const NEARBY = 8192;

/** The outlines of `ids` from `glyf`, in their order. */
function readOutlinesFrom(
  src: Pick<SubsetSource, 'offsets' | 'glyf'>,
  read: (offset: number, length: number) => Buffer,
  ids: readonly number[],
): Buffer[] {
  const out: Buffer[] = new Array(ids.length);
  const order = ids.map((_, k) => k).sort((a, b) => src.offsets[ids[a]!]! - src.offsets[ids[b]!]!);
  for (let i = 0; i < order.length; ) {
    const start = src.offsets[ids[order[i]!]!]!;
    let end = src.offsets[ids[order[i]!]! + 1]!;
    let j = i + 1;
    while (j < order.length && src.offsets[ids[order[j]!]!]! - end <= NEARBY)
      end = Math.max(end, src.offsets[ids[order[j++]!]! + 1]!);
    const span = end > start ? read(src.glyf.offset + start, end - start) : Buffer.alloc(0);
    for (; i < j; i++) {
      const id = ids[order[i]!]!;
      out[order[i]!] = span.subarray(src.offsets[id]! - start, src.offsets[id + 1]! - start);
    }
  }
  return out;
}

/**
 * An sfnt file of `tables`, laid out as fontkit lays out a subset: the version tag `true`, table
 * records in the order given with a zero checksum, each table's data right after the last.
 */
function sfnt(tables: readonly (readonly [string, Buffer])[]): Uint8Array {
  const count = tables.length;
  const power = 2 ** Math.floor(Math.log2(count));
  const dirSize = 12 + 16 * count;
  const out = Buffer.alloc(dirSize + tables.reduce((sum, [, b]) => sum + b.length, 0));
  out.write('true', 0, 'latin1');
  out.writeUInt16BE(count, 4);
  out.writeUInt16BE(power * 16, 6);
  out.writeUInt16BE(Math.log2(power), 8);
  out.writeUInt16BE(count * 16 - power * 16, 10);
  let at = dirSize;
  tables.forEach(([tag, data], i) => {
    out.write(tag, 12 + i * 16, 'latin1');
    out.writeUInt32BE(0, 16 + i * 16);
    out.writeUInt32BE(at, 20 + i * 16);
    out.writeUInt32BE(data.length, 24 + i * 16);
    data.copy(out, at);
    at += data.length;
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * A font file as browsers accept it (OpenType §5, and the OpenType Sanitizer's checks): table
 * records sorted by tag, each table starting on a four-byte boundary and padded with zeros, each
 * record's checksum, and `head`'s checkSumAdjustment set for the whole file.
 */
function webSfnt(tables: readonly (readonly [string, Buffer])[]): Uint8Array {
  const sorted = [...tables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const count = sorted.length;
  const power = 2 ** Math.floor(Math.log2(count));
  const dirSize = 12 + 16 * count;
  const padded = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(dirSize + sorted.reduce((sum, [, b]) => sum + padded(b.length), 0));
  out.writeUInt32BE(0x00010000, 0);
  out.writeUInt16BE(count, 4);
  out.writeUInt16BE(power * 16, 6);
  out.writeUInt16BE(Math.log2(power), 8);
  out.writeUInt16BE(count * 16 - power * 16, 10);
  let at = dirSize;
  let headAt = -1;
  sorted.forEach(([tag, data], i) => {
    const table = tag === 'head' ? Buffer.from(data) : data;
    // The checksum of `head` is taken with its checkSumAdjustment zero.
    if (tag === 'head') {
      table.writeUInt32BE(0, 8);
      headAt = at;
    }
    out.write(tag, 12 + i * 16, 'latin1');
    table.copy(out, at);
    out.writeUInt32BE(checksum(out.subarray(at, at + padded(table.length))), 16 + i * 16);
    out.writeUInt32BE(at, 20 + i * 16);
    out.writeUInt32BE(table.length, 24 + i * 16);
    at += padded(table.length);
  });
  if (headAt >= 0) out.writeUInt32BE((0xb1b0afba - checksum(out)) >>> 0, headAt + 8);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** The sum of a table's (zero-padded) 32-bit words, modulo 2³². */
function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    const word = ((data[i] ?? 0) << 24) | ((data[i + 1] ?? 0) << 16) | ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0);
    sum = (sum + (word >>> 0)) >>> 0;
  }
  return sum;
}

/**
 * `post` version 3: the font's italic angle, underline and pitch, no glyph names (a version 2
 * table names the original font's glyphs, by their old numbers).
 */
function postWithoutNames(post: Buffer): Buffer {
  const out = Buffer.from(post.subarray(0, 32));
  out.writeUInt32BE(0x00030000, 0);
  return out;
}

/**
 * A `cmap` for the subset: format 4 (Windows, Unicode BMP) for the code points up to U+FFFF, and,
 * when there are any above, format 12 (Windows, full Unicode) for all. Each segment is a run of
 * consecutive code points whose glyphs are consecutive too, so it maps by a delta alone.
 */
function cmapTable(codePoints: ReadonlyMap<number, number>): Buffer {
  const pairs = [...codePoints].filter(([cp, gid]) => gid > 0 && cp >= 0 && cp <= 0x10ffff).sort(([a], [b]) => a - b);
  const runs: { start: number; end: number; gid: number }[] = [];
  for (const [cp, gid] of pairs) {
    const last = runs.at(-1);
    if (last && cp === last.end + 1 && gid === last.gid + (cp - last.start)) last.end = cp;
    else runs.push({ start: cp, end: cp, gid });
  }
  // Format 4 takes the BMP part (a run across U+FFFF is cut there) and ends with the 0xFFFF segment.
  const bmp = runs
    .filter((r) => r.start < 0xffff)
    .map((r) => ({ ...r, end: Math.min(r.end, 0xfffe) }))
    .concat([{ start: 0xffff, end: 0xffff, gid: 0 }]);
  const segCount = bmp.length;
  if (16 + segCount * 8 > 0xffff) throw new Error(`${pairs.length} characters are too many for one subset`);
  const searchRange = 2 * 2 ** Math.floor(Math.log2(segCount));
  const format4 = Buffer.alloc(16 + segCount * 8);
  format4.writeUInt16BE(4, 0);
  format4.writeUInt16BE(format4.length, 2);
  format4.writeUInt16BE(segCount * 2, 6);
  format4.writeUInt16BE(searchRange, 8);
  format4.writeUInt16BE(Math.log2(searchRange / 2), 10);
  format4.writeUInt16BE(segCount * 2 - searchRange, 12);
  bmp.forEach((r, i) => {
    format4.writeUInt16BE(r.end, 14 + i * 2);
    format4.writeUInt16BE(r.start, 16 + segCount * 2 + i * 2);
    // The last segment maps U+FFFF to glyph 0: delta 1 wraps 0xFFFF to 0.
    const delta = r.start === 0xffff ? 1 : (r.gid - r.start) & 0xffff;
    format4.writeUInt16BE(delta, 16 + segCount * 4 + i * 2);
    // idRangeOffset stays 0: every segment maps by its delta.
  });
  const astral = runs.some((r) => r.end > 0xffff);
  const subtables: [number, number, Buffer][] = [[3, 1, format4]];
  if (astral) {
    const format12 = Buffer.alloc(16 + runs.length * 12);
    format12.writeUInt16BE(12, 0);
    format12.writeUInt32BE(format12.length, 4);
    format12.writeUInt32BE(runs.length, 12);
    runs.forEach((r, i) => {
      format12.writeUInt32BE(r.start, 16 + i * 12);
      format12.writeUInt32BE(r.end, 20 + i * 12);
      format12.writeUInt32BE(r.gid, 24 + i * 12);
    });
    subtables.push([3, 10, format12]);
  }
  const header = Buffer.alloc(4 + subtables.length * 8);
  header.writeUInt16BE(subtables.length, 2);
  let offset = header.length;
  subtables.forEach(([platform, encoding, data], i) => {
    header.writeUInt16BE(platform, 4 + i * 8);
    header.writeUInt16BE(encoding, 6 + i * 8);
    header.writeUInt32BE(offset, 8 + i * 8);
    offset += data.length;
  });
  return Buffer.concat([header, ...subtables.map(([, , data]) => data)]);
}

/** The Unicode subtables fontkit's cmap reader prefers, in its order (platform, encoding). */
const CMAP_PREFERENCE: readonly [number, number][] = [
  [3, 10],
  [0, 6],
  [0, 4],
  [3, 1],
  [0, 3],
  [0, 2],
  [0, 1],
  [0, 0],
];

/**
 * Every code point the font's cmap covers, with its glyph (0 where none), in the order and by the
 * lookup fontkit's cmap reader uses (`characterSet`, then `lookup`), so a metrics table built from
 * it is the one fontkit would give (tests/truetype.test.ts compares them). Null when the font is
 * not TrueType or its preferred subtable is not of format 4 or 12: the caller uses fontkit.
 * Reads only the table directory and the cmap. Throws on a damaged font.
 */
export function characterMap(file: string): { codePoints: number[]; glyphs: number[] } | null {
  return withFile(file, (read, size) => {
    const header = read(0, 12);
    const count = header.readUInt16BE(4);
    const dir = read(12, count * 16);
    let cmap: Buffer | null = null;
    for (let i = 0; i < count; i++) {
      if (dir.toString('latin1', i * 16, i * 16 + 4) !== 'cmap') continue;
      const offset = dir.readUInt32BE(i * 16 + 8);
      const length = dir.readUInt32BE(i * 16 + 12);
      if (offset + length > size) throw new Error('a table lies outside the file');
      cmap = read(offset, length);
    }
    if (!cmap || cmap.length < 4) return null;
    const v = new DataView(cmap.buffer, cmap.byteOffset, cmap.length);
    const records = v.getUint16(2);
    if (4 + records * 8 > cmap.length) throw new Error('the `cmap` table is too short');
    let at = -1;
    for (const [platform, encoding] of CMAP_PREFERENCE) {
      for (let r = 0; r < records && at < 0; r++) {
        if (v.getUint16(4 + r * 8) === platform && v.getUint16(6 + r * 8) === encoding) at = v.getUint32(8 + r * 8);
      }
      if (at >= 0) break;
    }
    if (at < 0 || at + 4 > cmap.length) return null;
    const format = v.getUint16(at);
    const codePoints: number[] = [];
    const glyphs: number[] = [];
    if (format === 4) {
      if (at + 14 > cmap.length) throw new Error('the `cmap` table is too short');
      const segCount = v.getUint16(at + 6) / 2;
      const ends = at + 14;
      const starts = ends + segCount * 2 + 2;
      const deltas = starts + segCount * 2;
      const rangeOffsets = deltas + segCount * 2;
      const glyphArray = rangeOffsets + segCount * 2;
      if (glyphArray > cmap.length) throw new Error('the `cmap` table is too short');
      const end = (i: number) => v.getUint16(ends + i * 2);
      const start = (i: number) => v.getUint16(starts + i * 2);
      const lookup = (cp: number): number => {
        let min = 0;
        let max = segCount - 1;
        while (min <= max) {
          const mid = (min + max) >> 1;
          if (cp < start(mid)) max = mid - 1;
          else if (cp > end(mid)) min = mid + 1;
          else {
            const rangeOffset = v.getUint16(rangeOffsets + mid * 2);
            const delta = v.getInt16(deltas + mid * 2);
            if (rangeOffset === 0) return (cp + delta) & 0xffff;
            const index = rangeOffset / 2 + (cp - start(mid)) - (segCount - mid);
            const pos = glyphArray + index * 2;
            const gid = pos >= glyphArray && pos + 2 <= cmap!.length ? v.getUint16(pos) : 0;
            return gid === 0 ? 0 : (gid + delta) & 0xffff;
          }
        }
        return 0;
      };
      for (let i = 0; i < segCount; i++) {
        for (let cp = start(i); cp < end(i) + 1; cp++) {
          codePoints.push(cp);
          glyphs.push(lookup(cp));
        }
      }
    } else if (format === 12) {
      if (at + 16 > cmap.length) throw new Error('the `cmap` table is too short');
      const groups = v.getUint32(at + 12);
      if (at + 16 + groups * 12 > cmap.length) throw new Error('the `cmap` table is too short');
      const group = (i: number) => at + 16 + i * 12;
      const lookup = (cp: number): number => {
        let min = 0;
        let max = groups - 1;
        while (min <= max) {
          const mid = (min + max) >> 1;
          const g = group(mid);
          if (cp < v.getUint32(g)) max = mid - 1;
          else if (cp > v.getUint32(g + 4)) min = mid + 1;
          else return v.getUint32(g + 8) + (cp - v.getUint32(g));
        }
        return 0;
      };
      for (let i = 0; i < groups; i++) {
        const g = group(i);
        const last = v.getUint32(g + 4);
        // A damaged group could claim billions of characters.
        if (last > 0x10ffff || last - v.getUint32(g) > 0x10ffff) throw new Error('the `cmap` table is damaged');
        for (let cp = v.getUint32(g); cp < last + 1; cp++) {
          codePoints.push(cp);
          glyphs.push(lookup(cp));
        }
      }
    } else return null;
    return { codePoints, glyphs };
  });
}
