// The files a theme names besides YAML: fonts and a logo. A template folder is data written by
// someone else (docs/security.md), so each file must be inside the folder (or, for fonts, in an
// installed npm package), an ordinary file under its size limit, and really what it claims to be:
// a font pdfkit and fontkit can read, a PNG or JPEG whose data is complete. A broken file is an
// error at load, in `check` too, instead of a crash halfway through rendering.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, sep } from 'node:path';
import { inflateSync } from 'node:zlib';
import { type ProbedFont, probeFontForPdf } from '../font-probe.js';
import { crc32 } from '../render/pptx/zip.js';
import { kindOf, LIMITS, present, type ReadProblem, readConfined, recordStat, resolveConfined } from './confined.js';

/** A folder a theme's relative paths may point into: its path and its real path. */
export interface AssetFolder {
  dir: string;
  root: string;
}

type Found = { ok: true; real: string } | ({ ok: false } & ReadProblem);

const requireFromHere = createRequire(import.meta.url);
/** `@scope/name/…/file.ttf` or `name/…/file.otf`: the package name, then a path inside it. */
const PACKAGE_FONT = /^((?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*)(?:\/[A-Za-z0-9._@+ -]+)+\.(?:ttf|otf)$/;

/**
 * A font spec → the real path of its file. A spec is a path relative to the template folder
 * (`fonts/House-Regular.ttf`) or a file of an installed npm package
 * (`@expo-google-fonts/carlito/400Regular/Carlito_400Regular.ttf`). Absolute paths and paths that
 * leave the folder are refused: a template folder may not read the user's other files.
 */
export function resolveFontSpec(spec: string, folders: readonly AssetFolder[]): Found {
  if (isAbsolute(spec) || /^[A-Za-z]:[\\/]/.test(spec)) {
    return {
      ok: false,
      code: 'font-path',
      message: 'is an absolute path',
      hint: 'copy the font into the template folder and name it relative to the folder, e.g. `fonts/House-Regular.ttf`',
    };
  }
  for (const f of folders) {
    const local = join(f.dir, spec);
    if (present(local)) return resolveConfined(local, f.root);
  }
  // A package path names a package and a font file in it, with no way back out of the package
  // (`a/../../other/node_modules/x/font.ttf` would resolve into another project).
  const pkg = PACKAGE_FONT.exec(spec);
  if (!pkg || spec.split('/').some((part) => part === '.' || part === '..'))
    return {
      ok: false,
      code: 'missing-file',
      message: 'does not exist in the template folder',
      hint: 'check the name; a font path is relative to the template folder',
    };
  // Only a file inside that installed package: the result is checked to be under
  // `node_modules/<package>/` and to be a font.
  let resolved: string;
  try {
    resolved = requireFromHere.resolve(spec);
  } catch {
    return {
      ok: false,
      code: 'missing-file',
      message: 'is neither a file in the template folder nor a file of an installed npm package',
      hint: 'check the name, or install the font package (`npm install …`)',
    };
  }
  const real = resolveConfined(resolved, null);
  if (!real.ok) return real;
  if (
    !real.real.includes(`${sep}node_modules${sep}${pkg[1]!.split('/').join(sep)}${sep}`) ||
    !/\.(ttf|otf)$/i.test(real.real)
  ) {
    return {
      ok: false,
      code: 'font-path',
      message: 'is not a font file of an installed npm package',
      hint: 'name a .ttf or .otf file in the template folder or in an npm package',
    };
  }
  return real;
}

/** Reads at most `max` bytes from the start of an ordinary file (checked on the open descriptor). */
function readHead(real: string, max: number): { ok: true; head: Buffer; size: number } | ({ ok: false } & ReadProblem) {
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return {
      ok: false,
      code: code === 'EISDIR' ? 'not-a-file' : 'unreadable-file',
      message: code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? 'error'})`,
      hint: 'name an ordinary file',
    };
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile())
      return {
        ok: false,
        code: 'not-a-file',
        message: `is ${kindOf(s)}, not a file`,
        hint: 'name a .ttf or .otf file',
      };
    if (s.size > LIMITS.font)
      return {
        ok: false,
        code: 'file-too-large',
        message: `is larger than ${LIMITS.font / 1024 / 1024} MiB`,
        hint: 'use a smaller font file',
      };
    const head = Buffer.alloc(Math.min(max, s.size));
    let n = 0;
    while (n < head.length) {
      const got = readSync(fd, head, n, head.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return { ok: true, head: head.subarray(0, n), size: s.size };
  } finally {
    closeSync(fd);
  }
}

const REQUIRED_TABLES = ['cmap', 'head', 'hhea', 'hmtx', 'maxp'];

/**
 * Whether a file is a TrueType or OpenType font the renderers can use, from its header and table
 * directory (a few hundred bytes, so a run pays almost nothing for it): the right signature, the
 * tables measuring needs, and every table inside the file.
 */
export function checkFontFile(real: string): ReadProblem | null {
  recordStat(real);
  const read = readHead(real, 12 + 16 * 256);
  if (!read.ok) return read;
  const { head, size } = read;
  const notAFont = {
    code: 'not-a-font',
    message: 'is not a TrueType or OpenType font',
    hint: 'name a .ttf or .otf file',
  };
  if (head.length < 12) return notAFont;
  const tag = head.toString('latin1', 0, 4);
  if (tag === 'wOFF' || tag === 'wOF2')
    return {
      code: 'not-a-font',
      message: 'is a WOFF web font, which the PDF renderer draws as blank pages',
      hint: 'use the .ttf or .otf version of the font',
    };
  if (tag === 'ttcf')
    return { code: 'not-a-font', message: 'is a font collection (.ttc)', hint: 'use a single-font .ttf or .otf file' };
  if (head.readUInt32BE(0) !== 0x00010000 && tag !== 'OTTO' && tag !== 'true') return notAFont;
  const tables = head.readUInt16BE(4);
  if (tables === 0 || tables > 256 || head.length < 12 + 16 * tables)
    return { ...notAFont, message: 'is a damaged font file (its table directory is incomplete)' };
  const seen = new Set<string>();
  for (let i = 0; i < tables; i++) {
    const at = 12 + 16 * i;
    const name = head.toString('latin1', at, at + 4);
    const offset = head.readUInt32BE(at + 8);
    const length = head.readUInt32BE(at + 12);
    if (offset + length > size)
      return {
        ...notAFont,
        message: `is a damaged font file (its \`${name.replace(/[^\x20-\x7e]/g, '?')}\` table runs past the end of the file)`,
      };
    seen.add(name);
  }
  const missing = REQUIRED_TABLES.filter((t) => !seen.has(t));
  if (missing.length > 0)
    return {
      ...notAFont,
      message: `is a font without the ${missing.map((t) => `\`${t}\``).join(', ')} table${missing.length === 1 ? '' : 's'} text needs`,
    };
  return null;
}

/**
 * A deeper read of a font, as the renderers will do it: parsed by fontkit, a few characters'
 * glyphs looked up, their outlines and advances read, and a subset made of them, as the PDF
 * renderer embeds it. For `briefing check`, which proves a template will not fail; once per file
 * and process (a font serves several languages).
 */
const deepChecked = new Map<string, ReadProblem | null>();
export function parseFontFully(real: string): ReadProblem | null {
  if (deepChecked.has(real)) return deepChecked.get(real)!;
  const problem = parseFontNow(real);
  deepChecked.set(real, problem);
  return problem;
}

function parseFontNow(real: string): ReadProblem | null {
  const read = readConfined(real, null, LIMITS.font);
  if (!read.ok) return read;
  try {
    const fontkit = requireFromHere('fontkit') as typeof import('fontkit');
    const font = fontkit.create(read.bytes) as import('fontkit').Font;
    probeFontForPdf(font as unknown as ProbedFont);
    const glyphs = [0x41, 0x61, 0x31, 0x4e2d, 0x3002].map((cp) => font.glyphForCodePoint(cp)).filter((g) => g.id !== 0);
    if (glyphs.length === 0) throw new Error('no glyph for A, a, 1, 中 or 。');
    const subset = font.createSubset();
    for (const g of glyphs) {
      // An advance beyond four ems is a damaged `hmtx` table, which would make every line overflow.
      if (!Number.isFinite(g.advanceWidth) || g.advanceWidth <= 0 || g.advanceWidth > 4 * font.unitsPerEm)
        throw new Error(`glyph ${g.id} has an advance of ${g.advanceWidth}`);
      void g.path;
      subset.includeGlyph(g);
    }
    subset.encode();
    return null;
  } catch (cause) {
    return {
      code: 'not-a-font',
      message: `cannot be read as a font (${String((cause as Error).message ?? cause).slice(0, 80)})`,
      hint: 'replace it with an intact .ttf or .otf file',
    };
  }
}

/**
 * A logo's limits: larger pictures are not logos, and a small file can hold a huge picture (a PNG
 * of 8192 × 8192 pixels in 16-bit colour is half a megabyte on disk and 512 MB decoded, which the
 * PDF renderer decodes in full, and embeds whole). 2,048 pixels is a 96-point logo at 1,500 dpi;
 * in 8-bit RGBA it decodes to 16 MB, about a second of decoding. A 4,096-pixel one took 7–10 s
 * and made a 47 MB memo.
 */
const MAX_PIXELS = 2048;
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

/**
 * A PNG or JPEG, checked as completely as a viewer would decode it, and its size in pixels.
 * PNG: every chunk's checksum, the image data inflated to exactly the size the header promises.
 * JPEG: the markers up to a baseline or progressive frame, and the end-of-image marker.
 */
export function readImageInfo(
  path: string,
  root: string | null,
): { ok: true; real: string; width: number; height: number; format: 'png' | 'jpeg' } | ({ ok: false } & ReadProblem) {
  const read = readConfined(path, root, LIMITS.image);
  if (!read.ok) return read;
  const b = read.bytes;
  const bad = (why: string): { ok: false } & ReadProblem => ({
    ok: false,
    code: 'bad-image',
    message: why,
    hint: 'save the logo again as a PNG or JPEG file',
  });
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) {
    const png = checkPng(b);
    return typeof png === 'string' ? bad(png) : { ok: true, real: read.real, ...png, format: 'png' };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    const jpeg = checkJpeg(b);
    return typeof jpeg === 'string' ? bad(jpeg) : { ok: true, real: read.real, ...jpeg, format: 'jpeg' };
  }
  return bad('is not a PNG or JPEG picture');
}

const PNG_DEPTHS: Readonly<Record<number, readonly number[]>> = Object.freeze({
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
});
const PNG_CHANNELS: Readonly<Record<number, number>> = Object.freeze({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 });

function checkPng(b: Buffer): { width: number; height: number } | string {
  let at = 8;
  let header: { width: number; height: number; depth: number; color: number; interlace: number } | null = null;
  let palette = false;
  let ended = false;
  const data: Buffer[] = [];
  while (at < b.length) {
    if (at + 12 > b.length) return 'is a damaged PNG file (it is cut short)';
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (length > b.length - at - 12) return 'is a damaged PNG file (it is cut short)';
    const body = b.subarray(at + 8, at + 8 + length);
    if (crc32(b.subarray(at + 4, at + 8 + length)) !== b.readUInt32BE(at + 8 + length))
      return `is a damaged PNG file (the \`${type.replace(/[^\x20-\x7e]/g, '?')}\` chunk's checksum is wrong)`;
    if (!header && type !== 'IHDR') return 'is a damaged PNG file (it does not start with a header)';
    if (type === 'IHDR') {
      if (length !== 13) return 'is a damaged PNG file (its header is the wrong size)';
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        depth: body[8]!,
        color: body[9]!,
        interlace: body[12]!,
      };
      if (!PNG_DEPTHS[header.color]?.includes(header.depth) || body[10] !== 0 || body[11] !== 0 || header.interlace > 1)
        return 'is a PNG file of a kind that is not supported';
    } else if (type === 'PLTE') {
      if (length === 0 || length % 3 !== 0 || length > 768)
        return 'is a damaged PNG file (its palette is not a whole number of colours)';
      palette = true;
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    at += 12 + length;
  }
  if (!header || !ended || data.length === 0) return 'is a damaged PNG file (it is cut short)';
  const { width, height, depth, color, interlace } = header;
  if (width === 0 || height === 0) return 'is a PNG file with no pixels';
  if (width > MAX_PIXELS || height > MAX_PIXELS)
    return `is ${width} × ${height} pixels; a logo is at most ${MAX_PIXELS} pixels on a side`;
  if (color === 3 && !palette) return 'is a damaged PNG file (its palette is missing)';
  const bits = PNG_CHANNELS[color]! * depth;
  if ((width * height * bits) / 8 > MAX_DECODED_BYTES)
    return `is ${width} × ${height} pixels of ${bits}-bit colour, more than a logo needs; save it smaller or in 8-bit colour`;
  const rowBytes = (w: number) => 1 + Math.ceil((w * bits) / 8);
  let expected = 0;
  if (interlace === 0) expected = height * rowBytes(width);
  else {
    // Adam7: seven passes over sub-grids of the image.
    const passes = [
      [0, 0, 8, 8],
      [4, 0, 8, 8],
      [0, 4, 4, 8],
      [2, 0, 4, 4],
      [0, 2, 2, 4],
      [1, 0, 2, 2],
      [0, 1, 1, 2],
    ] as const;
    for (const [x0, y0, dx, dy] of passes) {
      const w = Math.ceil((width - x0) / dx);
      const h = Math.ceil((height - y0) / dy);
      if (w > 0 && h > 0) expected += h * rowBytes(w);
    }
  }
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(data), { maxOutputLength: expected + 1 });
  } catch {
    return 'is a damaged PNG file (its image data cannot be decompressed)';
  }
  if (raw.length !== expected) return 'is a damaged PNG file (its image data is incomplete)';
  return { width, height };
}

function checkJpeg(b: Buffer): { width: number; height: number } | string {
  let at = 2;
  let frame: { width: number; height: number } | null = null;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return 'is a damaged JPEG file';
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = b.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > b.length) return 'is a damaged JPEG file (it is cut short)';
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (marker > 0xc2)
        return 'is a JPEG of a kind PDF viewers may not show (lossless or arithmetic-coded); save it as a baseline JPEG';
      if (length < 8) return 'is a damaged JPEG file';
      const components = b[at + 9]!;
      frame = { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
      if (frame.width === 0 || frame.height === 0) return 'is a JPEG file with no pixels';
      if (![1, 3, 4].includes(components)) return 'is a JPEG file with an unsupported number of colour channels';
      if (frame.width > MAX_PIXELS || frame.height > MAX_PIXELS)
        return `is ${frame.width} × ${frame.height} pixels; a logo is at most ${MAX_PIXELS} pixels on a side`;
    }
    if (marker === 0xda) {
      if (!frame) return 'is a damaged JPEG file (image data before its frame header)';
      // The compressed data runs to the end-of-image marker, which must end the file.
      let end = b.length;
      while (end > at && b[end - 1] === 0x00) end--;
      if (end - at < 4 || b[end - 2] !== 0xff || b[end - 1] !== 0xd9) return 'is a damaged JPEG file (it is cut short)';
      return frame;
    }
    at += 2 + length;
  }
  return 'is a damaged JPEG file (it is cut short)';
}
