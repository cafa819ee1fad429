// A template folder's reference file (`reference: house.potx` in theme.yaml): the organisation's
// own PowerPoint template, whose masters, layouts and theme the deck is built on. This reads what
// layout needs from it: the slide size, the layout our content slides and our cover sit on, where
// those put the title, the body, the footer and the slide number (their placeholders), and where
// the master and layout draw pictures and shapes of their own (the logo, bars), which our boxes keep
// clear of. The render grafts the parts themselves (../render/pptx/graft.ts).
//
// The file may be hostile: its parts are inflated with size limits, read by a linear XML reader,
// and nothing in it is followed outside the package.
import { createHash } from 'node:crypto';
import type { Rect, Reference, ReferenceLayout } from '../model/reference.js';
import { unzipSafe, ZipError } from './safe-zip.js';
import { contrastRatio } from './contrast.js';
import { child, find, findAll, parseXml, path, type XmlElement, XmlError } from './xml-tree.js';

export class BadReference extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'BadReference';
  }
}

/** The most one part may inflate to, and all of them together. */
export const MAX_REFERENCE_PART = 32 * 1024 * 1024;
/** An XML part (a master, a layout, a theme) is a few kilobytes; pictures may be larger. */
const MAX_XML_PART = 4 * 1024 * 1024;
export const MAX_REFERENCE_TOTAL = 96 * 1024 * 1024;
const EMU = 12700;

/**
 * The reference's parts, inflated within the limits: everything but its slides and their notes
 * (a .pptx used as a reference may hold slides; only its masters matter).
 */
export function referenceParts(bytes: Uint8Array): Record<string, Uint8Array> {
  let total = 0;
  let tooBig: string | null = null;
  try {
    const parts = unzipSafe(bytes, (f) => {
      if (/^ppt\/(?:slides|notesSlides|comments|commentAuthors)\//.test(f.name)) return false;
      const xml = /\.(?:xml|rels)$/i.test(f.name);
      if (f.size > (xml ? MAX_XML_PART : MAX_REFERENCE_PART) || total + f.size > MAX_REFERENCE_TOTAL) {
        tooBig ??= f.name;
        return false;
      }
      total += f.size;
      return true;
    });
    if (tooBig) {
      const xml = /\.(?:xml|rels)$/i.test(String(tooBig));
      throw new BadReference(
        `is too large: its part \`${String(tooBig).slice(0, 80)}\` would inflate to more than ${xml ? `${MAX_XML_PART / 1024 / 1024} MB, far more than a master, layout or theme needs` : `${MAX_REFERENCE_PART / 1024 / 1024} MB (or the file to more than ${MAX_REFERENCE_TOTAL / 1024 / 1024} MB)`}`,
        xml
          ? 'open it in PowerPoint and save it again as a template (.potx)'
          : 'compress its pictures in PowerPoint (Picture Format › Compress Pictures) and save it again',
      );
    }
    return parts;
  } catch (cause) {
    if (cause instanceof ZipError)
      throw new BadReference(
        cause.message === 'is not a zip package'
          ? 'is not a PowerPoint file (.potx or .pptx): it is not a zip package'
          : cause.message,
        'save the template again from PowerPoint (File › Save As › PowerPoint Template)',
      );
    throw cause;
  }
}

export function xmlOf(parts: Record<string, Uint8Array>, name: string): XmlElement | null {
  const data = parts[name];
  if (!data) return null;
  try {
    return parseXml(new TextDecoder().decode(data), true);
  } catch (cause) {
    if (cause instanceof XmlError)
      throw new BadReference(
        `is damaged: its part \`${name.slice(0, 80)}\` ${cause.message}`,
        'open it in PowerPoint and save it again as a template (.potx)',
      );
    throw cause;
  }
}

/** The relationships of a part: id → { type (last segment), target part name, external }. */
export function relationships(
  parts: Record<string, Uint8Array>,
  part: string,
): Map<string, { type: string; uri: string; target: string; external: boolean }> {
  const slash = part.lastIndexOf('/');
  const dir = part.slice(0, slash);
  const rels = xmlOf(parts, `${dir}/_rels/${part.slice(slash + 1)}.rels`);
  const out = new Map<string, { type: string; uri: string; target: string; external: boolean }>();
  for (const r of rels?.children ?? []) {
    if (r.name !== 'Relationship' || !r.attrs.Id || r.attrs.Target === undefined) continue;
    const external = r.attrs.TargetMode === 'External';
    out.set(r.attrs.Id, {
      type: (r.attrs.Type ?? '').split('/').pop() ?? '',
      uri: r.attrs.Type ?? '',
      target: external ? r.attrs.Target : resolvePart(dir, r.attrs.Target),
      external,
    });
  }
  return out;
}

/** A relationship target as a part name (`../media/a.png` from `ppt/slideMasters` → `ppt/media/a.png`). */
export function resolvePart(dir: string, target: string): string {
  const segments = target.startsWith('/') ? [] : dir.split('/').filter(Boolean);
  for (const s of target.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(s);
  }
  return segments.join('/');
}

/** The masters the presentation lists, in order: part name and id. */
export function masterList(parts: Record<string, Uint8Array>): { part: string; id: string }[] {
  const pres = xmlOf(parts, 'ppt/presentation.xml');
  if (!pres)
    throw new BadReference(
      'has no ppt/presentation.xml: it is not a PowerPoint presentation or template',
      'name a .potx or .pptx saved by PowerPoint or LibreOffice',
    );
  const rels = relationships(parts, 'ppt/presentation.xml');
  const out: { part: string; id: string }[] = [];
  for (const m of path(pres, 'p:sldMasterIdLst')?.children ?? []) {
    const rel = rels.get(m.attrs['r:id'] ?? '');
    if (rel && !rel.external && parts[rel.target] && !out.some((o) => o.part === rel.target))
      out.push({ part: rel.target, id: m.attrs.id ?? '' });
  }
  if (out.length === 0)
    throw new BadReference('has no slide master', 'save it from PowerPoint as a template (.potx) with its masters');
  return out;
}

const CONTENT_TYPE = /^[A-Za-z0-9][\w.+-]*\/[\w.+-]+$/;
const REL_ID = /^[A-Za-z_][\w.-]{0,63}$/;
const INTEGER = /^-?\d{1,12}$/;

/** What a deck built on the reference copies from it, and under which names. */
export interface GraftPlan {
  masters: { part: string; id: number }[];
  /** Every part the masters reach, masters first, then breadth first. */
  order: string[];
  /** Each part's name in the deck. */
  rename: Map<string, string>;
  /** Each part's content type. */
  types: Map<string, string>;
}

/**
 * Every part the masters reach through their relationships (layouts, themes, pictures), checked as
 * a deck will need them, and named as the deck will carry them. Refused: a link outside the package
 * or to a slide, a relationship part or the content types as a target, a part that is missing or
 * damaged (not well-formed XML, a position that is not a number), a content type that is missing,
 * malformed or of the wrong kind (a master that is not a master), a master without a theme, ids that
 * are not ids or are used twice.
 */
export function planGraft(parts: Record<string, Uint8Array>): GraftPlan {
  const bad = (message: string, hint = 'open it in PowerPoint and save it again as a template (.potx)') =>
    new BadReference(message, hint);
  const ct = contentTypes(parts['[Content_Types].xml']);
  const typeOf = (part: string) => {
    const t = ct.overrides.get(part) ?? ct.defaults.get(part.split('.').pop()!.toLowerCase());
    if (!t || !CONTENT_TYPE.test(t)) throw bad(`gives no usable content type for \`${part.slice(0, 80)}\``);
    return t;
  };
  const masters = masterList(parts);
  const ids = new Set<number>();
  const useId = (raw: string | undefined, what: string) => {
    const id = Number(raw);
    if (!raw || !/^\d{10}$/.test(raw) || id < 2147483648 || id >= 4294967295 || ids.has(id))
      throw bad(`has a ${what} id that is not a valid, unique id (\`${String(raw).slice(0, 20)}\`)`);
    ids.add(id);
    return id;
  };
  const listed = masters.map((m) => ({ part: m.part, id: useId(m.id, 'master') }));
  const kinds = new Map<string, 'master' | 'layout' | 'theme'>();
  for (const m of listed) kinds.set(m.part, 'master');
  const order: string[] = [];
  const types = new Map<string, string>();
  const seen = new Set<string>();
  const queue = listed.map((m) => m.part);
  while (queue.length > 0) {
    const part = queue.shift()!;
    if (seen.has(part)) continue;
    seen.add(part);
    if (!parts[part]) throw bad(`names a part it does not have (\`${part.slice(0, 80)}\`)`);
    const type = typeOf(part);
    types.set(part, type);
    const kind = kinds.get(part);
    if (
      kind &&
      !type.endsWith(kind === 'master' ? '.slideMaster+xml' : kind === 'layout' ? '.slideLayout+xml' : '.theme+xml')
    )
      throw bad(`has a ${kind} (\`${part.slice(0, 80)}\`) whose content type says it is something else`);
    if (!kind && /\.(?:slideMaster|slideLayout)\+xml$/.test(type))
      throw bad(`has a master or layout (\`${part.slice(0, 80)}\`) that no master lists`);
    order.push(part);
    const xml = /[+/]xml$/.test(type) ? xmlOf(parts, part) : null;
    if (xml) checkPositions(xml, part);
    const rels = relationships(parts, part);
    let themes = 0;
    for (const [id, rel] of rels) {
      if (!REL_ID.test(id)) throw bad(`has a relationship id that is not a name (\`${id.slice(0, 40)}\`)`);
      if (rel.external)
        throw bad(
          `has a link to an outside address in its masters (\`${rel.target.slice(0, 80)}\`), which a deck built on it would carry`,
          'remove the link (or the linked picture) from the slide master in PowerPoint and save it again',
        );
      if (
        /^ppt\/(?:slides|notesSlides|notesMasters|handoutMasters)\//.test(rel.target) ||
        rel.target === 'ppt/presentation.xml'
      )
        throw bad(`has a master or layout that refers to a slide (\`${rel.target.slice(0, 80)}\`)`);
      if (/(?:^|\/)_rels\/|\.rels$/i.test(rel.target) || rel.target === '[Content_Types].xml' || rel.target === '')
        throw bad(`has a relationship to a part that is not content (\`${rel.target.slice(0, 80)}\`)`);
      if (kind === 'master' && rel.type === 'theme') {
        themes++;
        kinds.set(rel.target, 'theme');
      }
      queue.push(rel.target);
    }
    if (kind === 'master') {
      if (themes !== 1) throw bad(`has a slide master (\`${part.slice(0, 80)}\`) without exactly one theme`);
      for (const l of path(xml, 'p:sldLayoutIdLst')?.children ?? []) {
        const rel = rels.get(l.attrs['r:id'] ?? '');
        if (!rel) throw bad(`has a master that lists a layout it has no relationship to`);
        if (kinds.get(rel.target) === 'master' || kinds.get(rel.target) === 'theme')
          throw bad(`has a master that lists \`${rel.target.slice(0, 80)}\` as a layout`);
        kinds.set(rel.target, 'layout');
        useId(l.attrs.id, 'layout');
      }
    }
  }
  // Our names: masters, layouts and themes numbered in order; everything else by its kind.
  const rename = new Map<string, string>();
  const count = { master: 0, layout: 0, theme: 0, other: 0 };
  for (const part of order) {
    const kind = kinds.get(part);
    if (kind === 'master') rename.set(part, `ppt/slideMasters/slideMaster${++count.master}.xml`);
    else if (kind === 'layout') rename.set(part, `ppt/slideLayouts/slideLayout${++count.layout}.xml`);
    else if (kind === 'theme') rename.set(part, `ppt/theme/theme${++count.theme}.xml`);
    else {
      const xml = /[+/]xml$/.test(types.get(part)!);
      const ext = xml ? 'xml' : (/\.([A-Za-z0-9]{1,8})$/.exec(part)?.[1]?.toLowerCase() ?? 'bin');
      const dir = xml ? (/^ppt\/(tags|customXml|ink|diagrams)\//.exec(part)?.[1] ?? 'reference') : 'media';
      rename.set(part, `ppt/${dir}/reference${++count.other}.${ext}`);
    }
  }
  return { masters: listed, order, rename, types };
}

/** Positions and sizes in the drawing are whole numbers of EMU, as the schema requires. */
function checkPositions(el: XmlElement, part: string): void {
  const walk = (e: XmlElement) => {
    if (e.name === 'a:off' || e.name === 'a:chOff' || e.name === 'a:ext' || e.name === 'a:chExt')
      for (const k of ['x', 'y', 'cx', 'cy'])
        if (e.attrs[k] !== undefined && (!INTEGER.test(e.attrs[k]!) || (k[0] === 'c' && e.attrs[k]!.startsWith('-'))))
          throw new BadReference(
            `is damaged: its part \`${part.slice(0, 80)}\` places a shape at \`${e.attrs[k]!.slice(0, 20)}\`, which is not a number of EMU`,
            'open it in PowerPoint and save it again as a template (.potx)',
          );
    for (const c of e.children) walk(c);
  };
  walk(el);
}

/** The package's content types: by extension and by part name (without the leading slash). */
function contentTypes(data: Uint8Array | undefined): { defaults: Map<string, string>; overrides: Map<string, string> } {
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  const xml = data ? xmlOf({ '[Content_Types].xml': data }, '[Content_Types].xml') : null;
  for (const c of xml?.children ?? []) {
    if (c.name === 'Default' && c.attrs.Extension && c.attrs.ContentType)
      defaults.set(c.attrs.Extension.toLowerCase(), c.attrs.ContentType);
    if (c.name === 'Override' && c.attrs.PartName && c.attrs.ContentType)
      overrides.set(c.attrs.PartName.replace(/^\//, ''), c.attrs.ContentType);
  }
  return { defaults, overrides };
}

/** Reads what layout needs from a reference file's bytes. */
export function readReference(bytes: Uint8Array, file: string, root = ''): Reference {
  const parts = referenceParts(bytes);
  // Everything a deck will copy is checked now, not when the deck is written.
  const masters = planGraft(parts).masters;
  const pres = xmlOf(parts, 'ppt/presentation.xml')!;
  const size = child(pres, 'p:sldSz');
  const width = Number(size?.attrs.cx ?? 0) / EMU;
  const height = Number(size?.attrs.cy ?? 0) / EMU;
  if (!(width >= 72 && height >= 72 && width <= 4032 && height <= 4032))
    throw new BadReference(
      'has no usable slide size (p:sldSz)',
      'open it in PowerPoint, set Design › Slide Size, and save it again',
    );
  const masterPart = masters[0]!.part;
  const master = xmlOf(parts, masterPart)!;
  const masterRels = relationships(parts, masterPart);
  const themeRel = [...masterRels.values()].find((r) => r.type === 'theme' && !r.external);
  const theme = themeRel ? xmlOf(parts, themeRel.target) : null;
  const colorOf = colorResolver(theme, child(master, 'p:clrMap'));

  const layouts: { part: string; el: XmlElement }[] = [];
  for (const id of path(master, 'p:sldLayoutIdLst')?.children ?? []) {
    const rel = masterRels.get(id.attrs['r:id'] ?? '');
    if (!rel || rel.external || layouts.some((l) => l.part === rel.target)) continue;
    const el = xmlOf(parts, rel.target);
    if (el) layouts.push({ part: rel.target, el });
  }
  if (layouts.length === 0)
    throw new BadReference(
      'has a slide master with no layouts',
      'add a "Title Only" or "Blank" layout to its master in PowerPoint (View › Slide Master)',
    );
  const masterPh = placeholders(master);
  const masterShapes = obstacles(master, width, height);
  const masterBg = background(master, colorOf);
  const describe = (l: { part: string; el: XmlElement }): ReferenceLayout => {
    const ph = placeholders(l.el);
    // A placeholder off the slide, or too small to hold a line, is not a place for our text.
    const sane = (r: Rect | null) =>
      r && r.w >= 36 && r.h >= 12 && r.x >= 0 && r.y >= 0 && r.x + r.w <= width + 1 && r.y + r.h <= height + 1
        ? r
        : null;
    const rectOf = (types: string[], masterTypes: string[]) => {
      for (const t of types) if (ph.has(t)) return sane(ph.get(t)!.rect) ?? sane(firstOf(masterPh, masterTypes));
      return null;
    };
    const titleType = ph.has('title') ? 'title' : ph.has('ctrTitle') ? 'ctrTitle' : 'title';
    const showMaster = l.el.attrs.showMasterSp !== '0';
    const bg = background(l.el, colorOf) ?? masterBg;
    return {
      part: l.part,
      name: path(l.el, 'p:cSld')?.attrs.name ?? l.part.split('/').pop()!,
      titleType,
      title: rectOf(['title', 'ctrTitle'], ['title']) ?? (ph.size === 0 ? sane(firstOf(masterPh, ['title'])) : null),
      subtitle: rectOf(['subTitle'], ['body']),
      body: rectOf(['body', 'obj'], ['body']) ?? sane(firstOf(masterPh, ['body'])),
      footer: rectOf(['ftr'], ['ftr']) ?? sane(firstOf(masterPh, ['ftr'])),
      number: rectOf(['sldNum'], ['sldNum']) ?? sane(firstOf(masterPh, ['sldNum'])),
      obstacles: [...(showMaster ? masterShapes : []), ...obstacles(l.el, width, height)],
      background: bg,
      dark: bg !== null && contrastRatio(bg, 'FFFFFF') >= 4.5,
    };
  };
  const typed = (t: string) => layouts.find((l) => l.el.attrs.type === t);
  // Our content slides: "Title Only", else the layout with a title and the fewest other placeholders.
  const withTitle = layouts
    .map((l) => ({ l, ph: placeholders(l.el) }))
    .filter((x) => x.ph.has('title'))
    .sort((a, b) => others(a.ph) - others(b.ph));
  const content = typed('titleOnly') ?? withTitle[0]?.l ?? typed('blank') ?? layouts[0]!;
  const cover = typed('title') ?? content;
  const names = (list: { el: XmlElement; part: string }[]) =>
    list.map((l) => path(l.el, 'p:cSld')?.attrs.name ?? l.part);
  return {
    file,
    root,
    digest: createHash('sha256').update(bytes).digest('hex'),
    width: round(width),
    height: round(height),
    masters: masters.map((m) => path(xmlOf(parts, m.part), 'p:cSld')?.attrs.name ?? m.part),
    layouts: names(layouts),
    content: describe(content),
    cover: describe(cover),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function others(ph: Map<string, unknown>): number {
  return [...ph.keys()].filter((t) => !['title', 'dt', 'ftr', 'sldNum'].includes(t)).length;
}

function firstOf(ph: Map<string, { rect: Rect | null }>, types: string[]): Rect | null {
  for (const t of types) {
    const r = ph.get(t)?.rect;
    if (r) return r;
  }
  return null;
}

/** The placeholders of a master or layout by type (`obj` when none is given), first of each. */
function placeholders(el: XmlElement): Map<string, { rect: Rect | null }> {
  const out = new Map<string, { rect: Rect | null }>();
  for (const shape of path(el, 'p:cSld', 'p:spTree')?.children ?? []) {
    const ph = find(
      child(shape, 'p:nvSpPr') ?? child(shape, 'p:nvPicPr') ?? child(shape, 'p:nvGraphicFramePr'),
      'p:ph',
    );
    if (!ph) continue;
    const type = ph.attrs.type ?? 'obj';
    if (!out.has(type)) out.set(type, { rect: rectOf(shape) });
  }
  return out;
}

/** Where a shape is, in points, from its own transform. */
function rectOf(shape: XmlElement): Rect | null {
  const xfrm = path(shape, 'p:spPr', 'a:xfrm') ?? path(shape, 'p:grpSpPr', 'a:xfrm') ?? child(shape, 'p:xfrm');
  const off = child(xfrm, 'a:off');
  const ext = child(xfrm, 'a:ext');
  if (!off || !ext) return null;
  const [x, y, w, h] = [off.attrs.x, off.attrs.y, ext.attrs.cx, ext.attrs.cy].map((v) => Number(v) / EMU) as [
    number,
    number,
    number,
    number,
  ];
  if (![x, y, w, h].every(Number.isFinite) || w < 0 || h < 0) return null;
  return { x: round(x), y: round(y), w: round(w), h: round(h) };
}

/**
 * The pictures and shapes a master or layout draws on every slide (not its placeholders, which
 * show only on slides that fill them), except one that covers most of the slide (a background
 * picture), which text may sit on.
 */
function obstacles(el: XmlElement, width: number, height: number): Rect[] {
  const out: Rect[] = [];
  for (const shape of path(el, 'p:cSld', 'p:spTree')?.children ?? []) {
    if (!['p:sp', 'p:pic', 'p:grpSp', 'p:graphicFrame', 'p:cxnSp'].includes(shape.name)) continue;
    const nv = child(shape, 'p:nvSpPr') ?? child(shape, 'p:nvPicPr') ?? child(shape, 'p:nvGraphicFramePr');
    if (find(nv, 'p:ph')) continue;
    const r = rectOf(shape);
    if (!r) continue;
    // Clipped to the slide; nothing off it matters.
    const x = Math.max(0, r.x);
    const y = Math.max(0, r.y);
    const w = Math.min(width, r.x + r.w) - x;
    const h = Math.min(height, r.y + r.h) - y;
    if (w < 0 || h < 0 || (w === 0 && h === 0)) continue;
    if (w * h > 0.5 * width * height) continue;
    out.push({ x: round(x), y: round(y), w: round(w), h: round(h) });
  }
  return out;
}

type ColorOf = (el: XmlElement | null) => string | null;

/**
 * A theme's colour scheme: dk1, lt1, dk2, lt2, accent1–6, hlink, folHlink as six upper-case hex
 * digits (a system colour by its last value). `init --from` reads the same.
 */
export function schemeColors(theme: XmlElement | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const slot of find(theme, 'a:clrScheme')?.children ?? []) {
    const key = slot.name.replace(/^a:/, '');
    if (!/^(?:dk1|lt1|dk2|lt2|accent[1-6]|hlink|folHlink)$/.test(key)) continue;
    const c = slot.children[0];
    const hex = c?.name === 'a:srgbClr' ? c.attrs.val : c?.name === 'a:sysClr' ? c.attrs.lastClr : undefined;
    if (hex && /^[0-9A-Fa-f]{6}$/.test(hex)) out[key] = hex.toUpperCase();
  }
  return out;
}

/** Reads a colour element (srgbClr, sysClr, schemeClr through the master's colour map). */
function colorResolver(theme: XmlElement | null, clrMap: XmlElement | null): ColorOf {
  const scheme = schemeColors(theme);
  const map: Record<string, string> = { bg1: 'lt1', tx1: 'dk1', bg2: 'lt2', tx2: 'dk2', ...(clrMap?.attrs ?? {}) };
  return (el) => {
    if (!el) return null;
    const hex =
      el.name === 'a:srgbClr'
        ? el.attrs.val
        : el.name === 'a:sysClr'
          ? el.attrs.lastClr
          : el.name === 'a:schemeClr'
            ? scheme[map[el.attrs.val ?? ''] ?? el.attrs.val ?? '']
            : undefined;
    return hex && /^[0-9A-Fa-f]{6}$/.test(hex) ? hex.toUpperCase() : null;
  };
}

const COLOR_ELEMENTS = ['a:srgbClr', 'a:schemeClr', 'a:sysClr'];

/** A master's or layout's background, when it is a solid colour (or a gradient's first stop). */
function background(el: XmlElement, colorOf: ColorOf): string | null {
  const bg = path(el, 'p:cSld', 'p:bg');
  if (!bg) return null;
  const pr = child(bg, 'p:bgPr');
  if (pr) {
    const fill = child(pr, 'a:solidFill') ?? findAll(child(pr, 'a:gradFill'), 'a:gs')[0] ?? null;
    const color = fill?.children.find((c) => COLOR_ELEMENTS.includes(c.name)) ?? null;
    return colorOf(color);
  }
  const ref = child(bg, 'p:bgRef');
  return colorOf(ref?.children.find((c) => COLOR_ELEMENTS.includes(c.name)) ?? null);
}
