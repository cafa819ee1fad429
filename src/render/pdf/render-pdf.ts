// render: LaidMemo → PDF bytes. Translates only: pdfkit draws each placed piece of text at the
// position layout chose. Fonts are embedded as subsets; dates are fixed, so output is reproducible.
import type { LaidMemo } from '../../model/layout.js';

interface PdfDoc {
  registerFont(name: string, src: unknown): void;
  font(name: string): PdfDoc;
  fontSize(size: number): PdfDoc;
  fillColor(color: string): PdfDoc;
  strokeColor(color: string): PdfDoc;
  lineWidth(w: number): PdfDoc;
  text(text: string, x: number, y: number, options: Record<string, unknown>): PdfDoc;
  image(file: string, x: number, y: number, options: Record<string, unknown>): PdfDoc;
  rect(x: number, y: number, w: number, h: number): PdfDoc;
  fill(color?: string): PdfDoc;
  moveTo(x: number, y: number): PdfDoc;
  lineTo(x: number, y: number): PdfDoc;
  stroke(): PdfDoc;
  link(x: number, y: number, w: number, h: number, url: string): PdfDoc;
  addPage(options: Record<string, unknown>): PdfDoc;
  on(event: string, fn: (chunk?: Buffer) => void): void;
  end(): void;
}

/** No ligatures or kerning: the layout measured plain advances, so the drawing uses them too. */
const FEATURES = Object.freeze({ liga: false, clig: false, dlig: false, kern: false, calt: false });

export async function renderPdf(memo: LaidMemo): Promise<Uint8Array> {
  const { default: PDFDocument } = (await import('pdfkit')) as unknown as { default: new (o: Record<string, unknown>) => PdfDoc };
  const [y, m, d] = memo.date.split('-').map(Number) as [number, number, number];
  const when = new Date(Date.UTC(y, m - 1, d, 12));
  const doc = new PDFDocument({
    size: [memo.width, memo.height],
    margin: 0,
    autoFirstPage: false,
    compress: true,
    lang: memo.lang,
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: memo.title, Author: memo.author ?? '', Subject: memo.subject ?? '', Creator: 'briefing', Producer: 'briefing (pdfkit)', CreationDate: when, ModDate: when },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.on('data', (chunk) => chunks.push(chunk!));
  const { openFont } = await import('../../layout/font-metrics.js');
  for (const [key, file] of Object.entries(memo.fonts)) doc.registerFont(key, openFont(file));
  for (const page of memo.pages) {
    doc.addPage({ size: [memo.width, memo.height], margin: 0 });
    for (const it of page.items) {
      if (it.type === 'rect') doc.rect(it.x, it.y, it.w, it.h).fill(`#${it.fill}`);
      else if (it.type === 'image') doc.image(it.file, it.x, it.y, { width: it.w, height: it.h });
      else if (it.type === 'line') doc.lineWidth(it.width).strokeColor(`#${it.color}`).moveTo(it.x1, it.y1).lineTo(it.x2, it.y2).stroke();
      else {
        doc.font(it.font).fontSize(it.size).fillColor(`#${it.color}`);
        const options: Record<string, unknown> = { lineBreak: false, baseline: 'alphabetic', features: { ...FEATURES } };
        if (it.charSpacing) options.characterSpacing = it.charSpacing;
        if (it.href) options.link = it.href;
        doc.text(it.text, it.x, it.y, options);
      }
    }
  }
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
