// DrawingML text bodies written by hand: pptxgenjs 4.0.1 emits a second `<a:pPr>` inside a
// paragraph with several runs (schema-invalid), writes one face into the latin, ea and cs slots,
// and has no bullet colour. We write what PowerPoint itself writes.
import { CJK } from '../../localize/spacing.js';
import type { SlideParagraph, SlideTextBox, TextRun } from '../../model/layout.js';

const EMU = 12700; // per point

export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export interface Faces {
  /** Typeface for Latin text, East Asian text, and complex scripts. */
  latin: string;
  ea: string;
  cs: string;
}

export function textBodyXml(box: SlideTextBox, faces: (run: TextRun) => Faces): string {
  const anchor = box.valign === 'middle' ? 'ctr' : box.valign === 'bottom' ? 'b' : 't';
  const ins = box.insets;
  const body = `<a:bodyPr wrap="square" lIns="${emu(ins.l)}" tIns="${emu(ins.t)}" rIns="${emu(ins.r)}" bIns="${emu(ins.b)}" rtlCol="0" anchor="${anchor}"><a:noAutofit/></a:bodyPr>`;
  const paragraphs = box.paragraphs.map((p) => paragraphXml(p, faces)).join('');
  return `<p:txBody>${body}<a:lstStyle/>${paragraphs || '<a:p><a:endParaRPr lang="en-US" dirty="0"/></a:p>'}</p:txBody>`;
}

export function paragraphXml(p: SlideParagraph, faces: (run: TextRun) => Faces): string {
  const algn = p.align === 'center' ? 'ctr' : p.align === 'right' ? 'r' : 'l';
  // No hanging punctuation: a viewer that hangs 、 or 。 past the margin draws outside the box.
  let pPr = `<a:pPr marL="${p.bullet ? emu(p.bullet.indent) : 0}" indent="${p.bullet ? -emu(p.bullet.indent) : 0}" algn="${algn}" eaLnBrk="1" hangingPunct="0">`;
  pPr += `<a:lnSpc><a:spcPts val="${Math.round(p.lineHeight * 100)}"/></a:lnSpc>`;
  pPr += `<a:spcBef><a:spcPts val="${Math.round(p.spaceBefore * 100)}"/></a:spcBef>`;
  pPr += `<a:spcAft><a:spcPts val="${Math.round(p.spaceAfter * 100)}"/></a:spcAft>`;
  if (!p.bullet) pPr += '<a:buNone/>';
  else {
    pPr += `<a:buClr><a:srgbClr val="${p.bullet.color}"/></a:buClr><a:buSzPct val="100000"/>`;
    const first = p.runs[0];
    const face = first ? faces(first).latin : 'Arial';
    if (p.bullet.type === 'char') pPr += `<a:buFont typeface="Arial"/><a:buChar char="${escapeXml(p.bullet.char)}"/>`;
    else
      pPr += `<a:buFont typeface="${escapeXml(face)}"/><a:buAutoNum type="arabicPeriod"${p.bullet.start > 1 ? ` startAt="${p.bullet.start}"` : ''}/>`;
  }
  pPr += '</a:pPr>';
  const runs = p.runs.map((r) => runXml(r, faces(r))).join('');
  const last = p.runs[p.runs.length - 1];
  const end = last
    ? `<a:endParaRPr lang="${last.lang}" sz="${Math.round(last.size * 100)}" dirty="0"/>`
    : '<a:endParaRPr lang="en-US" dirty="0"/>';
  return `<a:p>${pPr}${runs}${end}</a:p>`;
}

/** Han, kana, CJK punctuation and fullwidth forms, which are never slanted (see `runXml`). */
const HAS_CJK = new RegExp(`[${CJK}]`);
const CJK_OR_NOT = new RegExp(`[${CJK}]+|[^${CJK}]+`, 'g');

function runXml(r: TextRun, f: Faces): string {
  const bold = r.style === 'bold' || r.style === 'boldItalic';
  const italic = r.style === 'italic' || r.style === 'boldItalic';
  // Chinese has no italic: a viewer would shear the CJK face into a fake slant. An italic run
  // keeps its Latin words italic and sets its Chinese upright, as runs of their own.
  if (italic && HAS_CJK.test(r.text)) {
    const upright: TextRun['style'] = bold ? 'bold' : 'regular';
    return (r.text.match(CJK_OR_NOT) ?? [])
      .map((piece) => runXml({ ...r, text: piece, style: HAS_CJK.test(piece) ? upright : r.style }, f))
      .join('');
  }
  const rPr =
    `<a:rPr lang="${r.lang}" altLang="en-US" sz="${Math.round(r.size * 100)}" b="${bold ? 1 : 0}" i="${italic ? 1 : 0}"` +
    (r.charSpacing ? ` spc="${Math.round(r.charSpacing * 100)}"` : '') +
    ` dirty="0"><a:solidFill><a:srgbClr val="${r.color}"/></a:solidFill>` +
    `<a:latin typeface="${escapeXml(f.latin)}"/><a:ea typeface="${escapeXml(f.ea)}"/><a:cs typeface="${escapeXml(f.cs)}"/></a:rPr>`;
  // A line break inside a run is a soft break (`<a:br/>`), not a new paragraph.
  // An empty piece (the break begins or ends the run) writes no run of its own.
  return r.text
    .split('\n')
    .map((piece) => (piece === '' ? '' : `<a:r>${rPr}<a:t>${escapeXml(piece)}</a:t></a:r>`))
    .join(`<a:br>${rPr}</a:br>`);
}

/** Notes pages: plain paragraphs, each run tagged with its language. */
export function notesBodyXml(text: string, lang: string, face: Faces): string {
  const paragraphs = text.split(/\n\n+/).filter((p) => p.trim() !== '');
  const rPr = `<a:rPr lang="${lang}" altLang="en-US" dirty="0"><a:latin typeface="${escapeXml(face.latin)}"/><a:ea typeface="${escapeXml(face.ea)}"/><a:cs typeface="${escapeXml(face.cs)}"/></a:rPr>`;
  const ps = paragraphs.map((p) => `<a:p><a:r>${rPr}<a:t>${escapeXml(p)}</a:t></a:r></a:p>`).join('');
  return `<p:txBody><a:bodyPr/><a:lstStyle/>${ps || `<a:p><a:endParaRPr lang="${lang}" dirty="0"/></a:p>`}</p:txBody>`;
}

function emu(points: number): number {
  return Math.round(points * EMU);
}
