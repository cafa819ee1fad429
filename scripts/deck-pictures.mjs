// The README's pictures of the built-in deck (docs/images/deck-en-10slides.png, deck-zh-Hant.png):
// a few slides of `briefing deck --format png` side by side. Each slide is drawn by the PNG export
// at exactly the size it has in the picture (so nothing is scaled twice); the montage is an SVG of
// those PNGs on a grey ground, drawn by resvg. Run after `npm run build`:
//
//   node scripts/deck-pictures.mjs
//
// docs/images/house-template.png is not made here: a deck on an organisation's reference masters
// (`reference:` in theme.yaml) keeps their drawing in the PPTX, which the SVG export does not draw.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { buildSlideImages, DEFAULT_PACK } = await import(join(ROOT, 'dist', 'index.js'));
const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js');

/** A slide's width in the picture, the gap between slides, and the ground they lie on. */
const SLIDE = 640;
const GAP = 6;
const GROUND = '#E4E7EB';

const PICTURES = [
  { file: 'deck-en-10slides.png', lang: 'en', slides: [1, 2, 4, 7, 8, 10], columns: 3 },
  { file: 'deck-zh-Hant.png', lang: 'zh-Hant', slides: [1, 2, 7, 10], columns: 2 },
];

for (const picture of PICTURES) {
  const built = await buildSlideImages({
    content: DEFAULT_PACK,
    lang: picture.lang,
    audience: 'policymaker',
    slides: 10,
    format: 'png',
    width: SLIDE,
  });
  if (!built.ok) throw new Error(built.diagnostics.map((d) => d.message).join('\n'));
  const pngs = picture.slides.map((n) => Buffer.from(built.result.files[n - 1].bytes));
  const height = pngs[0].readUInt32BE(20);
  const rows = Math.ceil(pngs.length / picture.columns);
  const w = picture.columns * SLIDE + (picture.columns + 1) * GAP;
  const h = rows * height + (rows + 1) * GAP;
  const images = pngs.map((png, i) => {
    const x = GAP + (i % picture.columns) * (SLIDE + GAP);
    const y = GAP + Math.floor(i / picture.columns) * (height + GAP);
    return `<image x="${x}" y="${y}" width="${SLIDE}" height="${height}" href="data:image/png;base64,${png.toString('base64')}"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="${GROUND}"/>${images.join('')}</svg>`;
  const png = new Resvg(svg, { font: { loadSystemFonts: false }, logLevel: 'off' }).render().asPng();
  writeFileSync(join(ROOT, 'docs', 'images', picture.file), png);
  console.log(`docs/images/${picture.file}  ${w}×${h}  slides ${picture.slides.join(', ')} (${picture.lang})`);
}
