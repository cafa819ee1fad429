// `briefing init DIR --from house.potx`: a template folder from an organisation's own PowerPoint
// template (.potx, .pptx, or LibreOffice's export of one). It reads the theme's colour scheme and
// fonts, the slide size, the master's pictures (the logo) and its footer text, and writes an
// ordinary, editable theme.yaml; everything else comes from the built-in templates.
//
// The file may be hostile: only the few parts named here are inflated, each with a size limit, and
// nothing in it is run or followed outside the package.
import { schemeColors } from './load/reference.js';
import { unzipSafe, ZipError } from './load/safe-zip.js';
import { child, find, findAll, parseXml, type XmlElement, XmlError } from './load/xml-tree.js';

/** The most any one part may inflate to; a theme or master is a few kilobytes. */
const MAX_PART = 8 * 1024 * 1024;
const MAX_PICTURE = 4 * 1024 * 1024;

/** Faces we can measure with a metric-compatible stand-in that the npm packages ship. */
const STAND_INS: Readonly<Record<string, string>> = {
  Calibri: 'Carlito',
  Carlito: 'Carlito',
};
/** Faces with a free metric-compatible twin the user can add. */
const TWINS: Readonly<Record<string, string>> = {
  Cambria: 'Caladea',
  Arial: 'Arimo or Liberation Sans',
  Helvetica: 'Arimo or Liberation Sans',
  'Times New Roman': 'Tinos or Liberation Serif',
  'Courier New': 'Cousine or Liberation Mono',
};

export class ImportError extends Error {}

/** The measuring files for a face without its own: Carlito, as the built-in theme uses. */
const CARLITO: readonly [string, string][] = [
  ['regular', '@expo-google-fonts/carlito/400Regular/Carlito_400Regular.ttf'],
  ['bold', '@expo-google-fonts/carlito/700Bold/Carlito_700Bold.ttf'],
  ['italic', '@expo-google-fonts/carlito/400Regular_Italic/Carlito_400Regular_Italic.ttf'],
  ['boldItalic', '@expo-google-fonts/carlito/700Bold_Italic/Carlito_700Bold_Italic.ttf'],
];

export interface ImportedTemplate {
  /** theme.yaml, commented. */
  themeYaml: string;
  /** Files to write beside it (the logo). */
  files: { name: string; bytes: Uint8Array }[];
  /** What the user should know: fonts to add, what was not found. */
  notes: string[];
  colors: Record<string, string>;
  fonts: { heading: string; body: string; headingEa: string; bodyEa: string };
  size: { width: number; height: number } | null;
}

const PARTS =
  /^(?:ppt\/theme\/theme\d+\.xml|ppt\/presentation\.xml|ppt\/_rels\/presentation\.xml\.rels|ppt\/slideMasters\/slideMaster1\.xml|ppt\/slideMasters\/_rels\/slideMaster1\.xml\.rels)$/;

export function importOfficeTemplate(bytes: Uint8Array, name: string): ImportedTemplate {
  let parts: Record<string, Uint8Array>;
  try {
    parts = unzipSafe(
      bytes,
      (f) =>
        (PARTS.test(f.name) && f.size <= MAX_PART) ||
        (/^ppt\/media\/[^/]+\.(?:png|jpe?g)$/i.test(f.name) && f.size <= MAX_PICTURE),
    );
  } catch (cause) {
    if (!(cause instanceof ZipError)) throw cause;
    throw new ImportError(
      cause.message === 'is not a zip package'
        ? `\`${name}\` is not a PowerPoint file (.potx or .pptx): it is not a zip package`
        : `\`${name}\` ${cause.message}`,
    );
  }
  const text = (part: string) => (parts[part] ? new TextDecoder().decode(parts[part]) : null);
  const presentation = text('ppt/presentation.xml');
  if (!presentation)
    throw new ImportError(`\`${name}\` has no ppt/presentation.xml: it is not a PowerPoint presentation or template`);
  const master = text('ppt/slideMasters/slideMaster1.xml');
  const masterRels = text('ppt/slideMasters/_rels/slideMaster1.xml.rels') ?? '';
  // The master's theme is the one its relationships name; else the first theme part.
  const themeTarget = /Target="\.\.\/theme\/(theme\d+\.xml)"/.exec(masterRels)?.[1];
  const theme =
    (themeTarget && text(`ppt/theme/${themeTarget}`)) ??
    text(
      Object.keys(parts)
        .filter((p) => p.startsWith('ppt/theme/'))
        .sort()[0] ?? '',
    );
  if (!theme) throw new ImportError(`\`${name}\` has no theme (ppt/theme/theme1.xml): nothing to import`);

  // Read with the linear XML reader (a part is at most 8 MB and 200,000 elements).
  const tree = (xml: string, part: string): XmlElement | null => {
    try {
      return parseXml(xml);
    } catch (cause) {
      if (cause instanceof XmlError)
        throw new ImportError(`\`${name}\` is damaged: its part \`${part}\` ${cause.message}`);
      throw cause;
    }
  };
  const themeTree = tree(theme, 'theme');
  const masterTree = master ? tree(master, 'ppt/slideMasters/slideMaster1.xml') : null;
  const notes: string[] = [];
  const scheme = schemeColors(themeTree);
  const colors = paletteFrom(scheme);
  const fonts = fontScheme(themeTree);
  const size = slideSize(presentation);
  const logo = masterTree ? masterPicture(masterTree, masterRels, parts) : null;
  const footer = masterTree ? footerText(masterTree) : null;

  const measured = (face: string) => STAND_INS[face];
  for (const face of new Set([fonts.heading, fonts.body])) {
    if (measured(face)) continue;
    const twin = TWINS[face];
    notes.push(
      twin
        ? `the template uses ${face}, which cannot be measured here: the deck keeps Calibri until you add the .ttf files of ${face} or of its metric-compatible twin ${twin} (theme.yaml says where)`
        : `the template uses ${face}, which cannot be measured here: the deck keeps Calibri until you add its .ttf files (or a font of the same widths; theme.yaml says where)`,
    );
  }
  if (!logo) notes.push('the master has no PNG or JPEG picture, so no logo was taken; add one with `logo:`');
  const themeYaml = writeTheme(name, colors, fonts, size, logo, footer);
  return {
    themeYaml,
    files: logo ? [{ name: logo.file, bytes: logo.bytes }] : [],
    notes,
    colors,
    fonts,
    size,
  };
}

type Scheme = Record<string, string>;

/** Mixes two colours: `t` = 0 gives `a`, 1 gives `b`. */
function mix(a: string, b: string, t: number): string {
  const ch = (hex: string, i: number) => Number.parseInt(hex.slice(i, i + 2), 16);
  return [0, 2, 4]
    .map((i) =>
      Math.round(ch(a, i) + (ch(b, i) - ch(a, i)) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')
    .toUpperCase();
}

/** Our colour roles from the template's scheme (see the comments written into theme.yaml). */
function paletteFrom(s: Scheme): Record<string, string> {
  const dk1 = s.dk1 ?? '1F2933';
  const lt1 = s.lt1 ?? 'FFFFFF';
  const dk2 = s.dk2 ?? dk1;
  const lt2 = s.lt2 ?? mix(lt1, dk2, 0.06);
  const accents = [1, 2, 3, 4, 5, 6].map((i) => s[`accent${i}`]).filter((c): c is string => Boolean(c));
  return {
    primary: dk2,
    accent: accents[0] ?? dk2,
    ink: dk1,
    muted: mix(dk1, lt1, 0.3),
    rule: mix(dk1, lt1, 0.82),
    panel: mix(lt2, 'FFFFFF', 0.5),
    inverse: lt1,
    inverseMuted: mix(lt1, dk2, 0.22),
    ...(accents.length > 0 ? { chart: accents.join(',') } : {}),
  };
}

function fontScheme(theme: XmlElement | null): ImportedTemplate['fonts'] {
  const scheme = find(theme, 'a:fontScheme');
  const face = (tag: string, slot: string) =>
    child(child(scheme, `a:${tag}`), `a:${slot}`)?.attrs.typeface?.trim() || null;
  const body = face('minorFont', 'latin') ?? 'Calibri';
  return {
    heading: face('majorFont', 'latin') ?? body,
    body,
    headingEa: face('majorFont', 'ea') ?? '',
    bodyEa: face('minorFont', 'ea') ?? '',
  };
}

/** The slide size in points (EMU / 12,700). */
function slideSize(presentation: string): { width: number; height: number } | null {
  const m = /<p:sldSz\b[^>]*\bcx="(\d+)"[^>]*\bcy="(\d+)"/.exec(presentation);
  if (!m) return null;
  const [w, h] = [Number(m[1]) / 12700, Number(m[2]) / 12700];
  return w >= 100 && h >= 100 && w <= 4000 && h <= 4000 ? { width: round(w), height: round(h) } : null;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The master's first PNG or JPEG picture (its logo), with its width on the slide in points. */
function masterPicture(
  master: XmlElement,
  rels: string,
  parts: Record<string, Uint8Array>,
): { file: string; bytes: Uint8Array; width: number } | null {
  const targets = new Map<string, string>();
  for (const r of parseXml(rels)?.children ?? [])
    if (r.attrs.Id && r.attrs.Target && r.attrs.TargetMode !== 'External') targets.set(r.attrs.Id, r.attrs.Target);
  for (const pic of findAll(master, 'p:pic')) {
    const id = find(pic, 'a:blip')?.attrs['r:embed'];
    const target = id ? /^\.\.\/media\/([^/]+)$/.exec(targets.get(id) ?? '')?.[1] : undefined;
    const bytes = target ? parts[`ppt/media/${target}`] : undefined;
    if (!target || !bytes) continue;
    const cx = Number(find(pic, 'a:ext')?.attrs.cx ?? 0) / 12700;
    const ext = target.toLowerCase().endsWith('.png') ? 'png' : 'jpg';
    return {
      file: `logo.${ext}`,
      bytes,
      width: round(Math.min(Math.max(Number.isFinite(cx) && cx > 0 ? cx : 96, 12), 400)),
    };
  }
  return null;
}

/** The text of the master's footer placeholder, if it has any. */
function footerText(master: XmlElement): string | null {
  for (const sp of findAll(master, 'p:sp')) {
    if (find(sp, 'p:ph')?.attrs.type !== 'ftr') continue;
    const text = findAll(sp, 'a:t')
      .map((t) => t.text)
      .join('')
      .trim();
    if (text) return text;
  }
  return null;
}

function quoted(s: string): string {
  return JSON.stringify(s);
}

function writeTheme(
  source: string,
  colors: Record<string, string>,
  fonts: ImportedTemplate['fonts'],
  size: { width: number; height: number } | null,
  logo: { file: string; width: number } | null,
  footer: string | null,
): string {
  const lines: string[] = [
    `# Imported from ${source} by \`briefing init --from\`. Only what differs from the built-in theme`,
    '# is here; edit freely, and run `briefing check --template <this folder>` after each change.',
    '#',
    "# Colours, from the template's colour scheme: primary = Text 2 (dk2), accent = Accent 1,",
    '# ink = Text 1 (dk1), inverse = Background 1 (lt1), panel = a light tint of Background 2 (lt2),',
    '# muted / rule / inverseMuted = mixes of those, chart = Accent 1–6 in order. The first chart colour is',
    "# PowerPoint's Accent 1 and colours the charts: change it with `accent` (or delete the chart line).",
    'colors:',
  ];
  for (const [role, value] of Object.entries(colors)) {
    if (role === 'chart')
      lines.push(
        `  chart: [${value
          .split(',')
          .map((c) => quoted(c))
          .join(', ')}]`,
      );
    else lines.push(`  ${role}: ${quoted(value)}`);
  }
  // A face is named only where it can be measured: a deck measured with narrower stand-ins would
  // overflow in PowerPoint. A face that cannot be measured yet is written as a comment to enable.
  const body = STAND_INS[fonts.body] ? fonts.body : null;
  const heading = fonts.heading !== fonts.body && STAND_INS[fonts.heading] ? fonts.heading : null;
  lines.push(
    '',
    '# The faces PowerPoint is told to use (its Latin and East Asian slots), measured with metric-compatible',
    '# files (Carlito for Calibri). A face with no measuring files here keeps the built-in one until you add them.',
    'fonts:',
  );
  // One entry for every language: the East Asian faces stay the built-in ones for each script
  // (Microsoft JhengHei, Microsoft YaHei), unless the template names its own.
  const ea = fonts.bodyEa ? `, eaFace: ${quoted(fonts.bodyEa)}` : '';
  lines.push('  "*":', `    deck: { face: ${quoted(body ?? 'Calibri')}${ea} }`);
  if (heading)
    lines.push(
      '    deckHeadings:',
      `      face: ${quoted(heading)}`,
      ...(fonts.headingEa || fonts.bodyEa ? [`      eaFace: ${quoted(fonts.headingEa || fonts.bodyEa)}`] : []),
      ...CARLITO.map(([style, file]) => `      ${style}: ${quoted(file)}`),
    );
  for (const [role, face] of [
    ['deck', fonts.body],
    ['deckHeadings', fonts.heading],
  ] as const) {
    if (STAND_INS[face] || (role === 'deckHeadings' && face === fonts.body)) continue;
    lines.push(
      `# The template's ${role === 'deck' ? 'body' : 'heading'} face is ${face}. To use it, add its files (or ${TWINS[face] ?? 'a font of the same widths'}) to this`,
      `# folder and, under "*" (every language), write:`,
      `#   ${role}: { face: ${quoted(face)}, eaFace: "Microsoft JhengHei", regular: …ttf, bold: …ttf, italic: …ttf, boldItalic: …ttf${role === 'deck' ? ', ea: { regular: …, bold: … }' : ''} }`,
    );
  }
  if (size) {
    lines.push('', `# The template's slide size, in points (${size.width} × ${size.height}).`);
    lines.push('deck:', `  width: ${size.width}`, `  height: ${size.height}`);
  }
  if (logo)
    lines.push(
      '',
      "# The first picture on the template's slide master.",
      `logo: { file: ${logo.file}, width: ${logo.width} }`,
    );
  if (footer) lines.push('', "# The template master's footer text.", `footerText: { en: ${quoted(footer)} }`);
  return `${lines.join('\n')}\n`;
}
