// A template folder's reference file (`reference: house.potx` in theme.yaml): the organisation's
// own PowerPoint template, whose masters, layouts and theme the deck is built on. This reads what
// layout needs from it: the slide size, the layout our content slides and our cover sit on, where
// those put the title, the body, the footer and the slide number (their placeholders), and where
// the master and layout draw pictures and shapes of their own (the logo, bars), which our boxes keep
// clear of. The render grafts the parts themselves (../render/pptx/graft.ts).
//
// The file may be hostile: its parts are inflated with size limits, read by a linear XML reader,
// and nothing in it is followed outside the package.
import { unzipSync } from 'fflate';
import type { Rect, Reference, ReferenceLayout } from '../model/reference.js';
import { contrastRatio } from './template-schema.js';
import { child, find, findAll, parseXml, path, type XmlElement } from './xml-tree.js';

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
export const MAX_REFERENCE_TOTAL = 96 * 1024 * 1024;
const EMU = 12700;

/**
 * The reference's parts, inflated within the limits: everything but its slides and their notes
 * (a .pptx used as a reference may hold slides; only its masters matter).
 */
export function referenceParts(bytes: Uint8Array, xmlOnly = false): Record<string, Uint8Array> {
  let total = 0;
  let tooBig: string | null = null;
  let parts: Record<string, Uint8Array>;
  try {
    parts = unzipSync(bytes, {
      filter: (f) => {
        if (/^ppt\/(?:slides|notesSlides|comments|commentAuthors)\b/.test(f.name) || f.name.endsWith('/')) return false;
        if (xmlOnly && !/\.(?:xml|rels)$/.test(f.name)) return false;
        if (f.originalSize > MAX_REFERENCE_PART || total + f.originalSize > MAX_REFERENCE_TOTAL) {
          tooBig = f.name;
          return false;
        }
        total += f.originalSize;
        return true;
      },
    });
  } catch {
    throw new BadReference(
      'is not a PowerPoint file (.potx or .pptx): it is not a zip package',
      'save the template again from PowerPoint (File › Save As › PowerPoint Template)',
    );
  }
  if (tooBig)
    throw new BadReference(
      `is too large: its part \`${tooBig}\` would take more than ${MAX_REFERENCE_PART / 1024 / 1024} MB (or the file more than ${MAX_REFERENCE_TOTAL / 1024 / 1024} MB)`,
      'compress its pictures in PowerPoint (Picture Format › Compress Pictures) and save it again',
    );
  return parts;
}

/** The names of a zip's entries, read from its central directory without inflating anything. */
function zipNames(bytes: Uint8Array): Set<string> {
  const names = new Set<string>();
  unzipSync(bytes, {
    filter: (f) => {
      names.add(f.name);
      return false;
    },
  });
  return names;
}

export function xmlOf(parts: Record<string, Uint8Array>, name: string): XmlElement | null {
  const data = parts[name];
  return data ? parseXml(new TextDecoder().decode(data)) : null;
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
    if (rel && !rel.external && parts[rel.target]) out.push({ part: rel.target, id: m.attrs.id ?? '' });
  }
  if (out.length === 0)
    throw new BadReference('has no slide master', 'save it from PowerPoint as a template (.potx) with its masters');
  return out;
}

/**
 * Every part the masters reach through their relationships, masters first, then breadth first
 * (layouts, themes, pictures): what a deck built on them carries. A link outside the package, or
 * to a slide, is refused. `present` says whether a part exists (pictures are not inflated to check).
 */
export function masterClosure(
  parts: Record<string, Uint8Array>,
  masters: readonly { part: string }[],
  present: (part: string) => boolean = (p) => Boolean(parts[p]),
): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const queue = masters.map((m) => m.part);
  while (queue.length > 0) {
    const part = queue.shift()!;
    if (seen.has(part)) continue;
    seen.add(part);
    if (!present(part))
      throw new BadReference(`names a part it does not have (\`${part}\`)`, 'save it again from PowerPoint');
    order.push(part);
    for (const rel of relationships(parts, part).values()) {
      if (rel.external)
        throw new BadReference(
          `has a link to an outside address in its masters (\`${rel.target.slice(0, 80)}\`), which a deck built on it would carry`,
          'remove the link (or the linked picture) from the slide master in PowerPoint and save it again',
        );
      if (
        /^ppt\/(?:slides|notesSlides|notesMasters|handoutMasters)\//.test(rel.target) ||
        rel.target === 'ppt/presentation.xml'
      )
        throw new BadReference(
          `has a master or layout that refers to a slide (\`${rel.target}\`)`,
          'save it again from PowerPoint as a template (.potx)',
        );
      queue.push(rel.target);
    }
  }
  return order;
}

/** Reads what layout needs from a reference file's bytes. */
export function readReference(bytes: Uint8Array, file: string): Reference {
  const parts = referenceParts(bytes, true);
  const masters = masterList(parts);
  // Refused now rather than when the deck is written: links out, slides, missing parts.
  const entries = zipNames(bytes);
  masterClosure(parts, masters, (p) => entries.has(p));
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
    const el = rel && !rel.external ? xmlOf(parts, rel.target) : null;
    if (rel && el) layouts.push({ part: rel.target, el });
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
    const rectOf = (types: string[], masterTypes: string[]) => {
      for (const t of types) if (ph.has(t)) return ph.get(t)!.rect ?? firstOf(masterPh, masterTypes);
      return null;
    };
    const titleType = ph.has('title') ? 'title' : ph.has('ctrTitle') ? 'ctrTitle' : 'title';
    const showMaster = l.el.attrs.showMasterSp !== '0';
    const bg = background(l.el, colorOf) ?? masterBg;
    return {
      part: l.part,
      name: path(l.el, 'p:cSld')?.attrs.name ?? l.part.split('/').pop()!,
      titleType,
      title: rectOf(['title', 'ctrTitle'], ['title']) ?? (ph.size === 0 ? firstOf(masterPh, ['title']) : null),
      subtitle: rectOf(['subTitle'], ['body']),
      body: rectOf(['body', 'obj'], ['body']) ?? firstOf(masterPh, ['body']),
      footer: rectOf(['ftr'], ['ftr']) ?? firstOf(masterPh, ['ftr']),
      number: rectOf(['sldNum'], ['sldNum']) ?? firstOf(masterPh, ['sldNum']),
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

/** Reads a colour element (srgbClr, sysClr, schemeClr through the master's colour map). */
function colorResolver(theme: XmlElement | null, clrMap: XmlElement | null): ColorOf {
  const scheme = new Map<string, string>();
  for (const slot of find(theme, 'a:clrScheme')?.children ?? []) {
    const c = slot.children[0];
    const hex = c?.name === 'a:srgbClr' ? c.attrs.val : c?.name === 'a:sysClr' ? c.attrs.lastClr : undefined;
    if (hex && /^[0-9A-Fa-f]{6}$/.test(hex)) scheme.set(slot.name.replace(/^a:/, ''), hex.toUpperCase());
  }
  const map: Record<string, string> = { bg1: 'lt1', tx1: 'dk1', bg2: 'lt2', tx2: 'dk2', ...(clrMap?.attrs ?? {}) };
  return (el) => {
    if (!el) return null;
    const hex =
      el.name === 'a:srgbClr'
        ? el.attrs.val
        : el.name === 'a:sysClr'
          ? el.attrs.lastClr
          : el.name === 'a:schemeClr'
            ? scheme.get(map[el.attrs.val ?? ''] ?? el.attrs.val ?? '')
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
