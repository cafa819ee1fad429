// Organisations' PowerPoint templates, written part by part as PowerPoint writes them: a theme, a
// slide master with its placeholders, a logo picture and a brand shape, and its layouts (Title
// Slide, Title and Content, Title Only, Blank…). Two houses that differ where it matters: slide
// size, where the logo and bars are, which layouts there are, a dark title slide.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { importOfficeTemplate } from '../src/import-office.js';

const NS =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
const EMU = 12700;

/** A one-pixel PNG (enough for a logo's bytes; its place is what matters). */
export const LOGO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
const xfrm = (b: Box) =>
  `<a:xfrm><a:off x="${Math.round(b.x * EMU)}" y="${Math.round(b.y * EMU)}"/><a:ext cx="${Math.round(b.w * EMU)}" cy="${Math.round(b.h * EMU)}"/></a:xfrm>`;

function placeholder(id: number, name: string, type: string | null, idx: number | null, box: Box | null): string {
  const ph = `<p:ph${type ? ` type="${type}"` : ''}${idx !== null ? ` idx="${idx}"` : ''}/>`;
  return `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="${name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>${ph}</p:nvPr></p:nvSpPr><p:spPr>${box ? xfrm(box) : ''}</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>`;
}
function picture(id: number, name: string, rel: string, box: Box): string {
  return `<p:pic><p:nvPicPr><p:cNvPr id="${id}" name="${name}" descr="${name}"/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr userDrawn="1"/></p:nvPicPr><p:blipFill><a:blip r:embed="${rel}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr>${xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>`;
}
function bar(id: number, name: string, color: string, box: Box): string {
  return `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="${name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>${xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="${color}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr><p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>`;
}
const tree = (shapes: string) =>
  `<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>${shapes}</p:spTree>`;
const solidBg = (scheme: string) =>
  `<p:bg><p:bgPr><a:solidFill><a:schemeClr val="${scheme}"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>`;

export interface OfficeLayout {
  name: string;
  type: string;
  /** Placeholders: [type or null (a content placeholder), idx or null, box or null (the master's place)]. */
  placeholders: [string | null, number | null, Box | null][];
  background?: string;
  /** Shapes of its own: a picture uses the logo. */
  shapes?: { kind: 'bar' | 'logo'; name: string; color?: string; box: Box }[];
  hideMaster?: boolean;
}

export interface OfficeHouse {
  name: string;
  width: number;
  height: number;
  colors: Record<string, string>;
  fonts: { major: string; minor: string };
  master: {
    title: Box;
    body: Box;
    date: Box;
    footer: Box;
    number: Box;
    footerText: string;
    logo: Box;
    bars: { name: string; color: string; box: Box }[];
  };
  layouts: OfficeLayout[];
}

/** Northbridge: 16:9, logo at the top right, a brand bar along the bottom, every common layout. */
export const NORTHBRIDGE: OfficeHouse = {
  name: 'Northbridge',
  width: 960,
  height: 540,
  colors: {
    dk1: '1B1B1B',
    lt1: 'FFFFFF',
    dk2: '0B2545',
    lt2: 'E7ECEF',
    accent1: '8D1B3D',
    accent2: '13315C',
    accent3: '5C7A99',
    accent4: 'D4A373',
    accent5: '4F772D',
    accent6: '6C757D',
    hlink: '13315C',
    folHlink: '6C757D',
  },
  fonts: { major: 'Calibri', minor: 'Calibri' },
  master: {
    title: { x: 48, y: 30, w: 760, h: 80 },
    body: { x: 48, y: 130, w: 864, h: 330 },
    date: { x: 48, y: 500, w: 160, h: 22 },
    footer: { x: 300, y: 500, w: 360, h: 22 },
    number: { x: 752, y: 500, w: 160, h: 22 },
    footerText: 'Northbridge Institute',
    logo: { x: 828, y: 26, w: 96, h: 48 },
    bars: [{ name: 'Brand bar', color: 'accent1', box: { x: 0, y: 528, w: 960, h: 12 } }],
  },
  layouts: [
    {
      name: 'Title Slide',
      type: 'title',
      placeholders: [
        ['ctrTitle', null, { x: 96, y: 150, w: 768, h: 150 }],
        ['subTitle', 1, { x: 96, y: 310, w: 768, h: 90 }],
      ],
    },
    {
      name: 'Title and Content',
      type: 'obj',
      placeholders: [
        ['title', null, null],
        [null, 1, null],
      ],
    },
    { name: 'Title Only', type: 'titleOnly', placeholders: [['title', null, null]] },
    { name: 'Blank', type: 'blank', placeholders: [] },
  ],
};

/**
 * Meridian: 4:3, a band down the left edge, the logo at the bottom left, a dark title slide with
 * a picture of its own, and no "Title Only" layout (the deck takes "Title and Content").
 */
export const MERIDIAN: OfficeHouse = {
  name: 'Meridian',
  width: 720,
  height: 540,
  colors: {
    dk1: '222222',
    lt1: 'FFFFFF',
    dk2: '123524',
    lt2: 'EEF2EC',
    accent1: '2E6B4F',
    accent2: 'B5651D',
    accent3: '6A8D73',
    accent4: 'C9A227',
    accent5: '3C5A78',
    accent6: '7D7D7D',
    hlink: '3C5A78',
    folHlink: '7D7D7D',
  },
  fonts: { major: 'Calibri', minor: 'Calibri' },
  master: {
    title: { x: 60, y: 24, w: 630, h: 72 },
    body: { x: 60, y: 110, w: 630, h: 360 },
    date: { x: 60, y: 496, w: 150, h: 24 },
    footer: { x: 240, y: 496, w: 300, h: 24 },
    number: { x: 560, y: 496, w: 130, h: 24 },
    footerText: 'Meridian Policy Group',
    logo: { x: 8, y: 470, w: 40, h: 40 },
    bars: [{ name: 'Side band', color: 'accent1', box: { x: 0, y: 0, w: 24, h: 460 } }],
  },
  layouts: [
    {
      name: 'Title Slide',
      type: 'title',
      background: 'tx2',
      placeholders: [
        ['ctrTitle', null, { x: 60, y: 140, w: 600, h: 130 }],
        ['subTitle', 1, { x: 60, y: 280, w: 600, h: 80 }],
      ],
      shapes: [{ kind: 'logo', name: 'Cover mark', box: { x: 600, y: 40, w: 80, h: 80 } }],
      hideMaster: true,
    },
    {
      name: 'Title and Content',
      type: 'obj',
      placeholders: [
        ['title', null, null],
        [null, 1, null],
        ['dt', 10, null],
        ['ftr', 11, null],
        ['sldNum', 12, null],
      ],
    },
    {
      name: 'Two Content',
      type: 'twoObj',
      placeholders: [
        ['title', null, null],
        [null, 1, { x: 60, y: 110, w: 305, h: 360 }],
        [null, 2, { x: 385, y: 110, w: 305, h: 360 }],
      ],
    },
    { name: 'Blank', type: 'blank', placeholders: [] },
  ],
};

/** The .potx file's bytes. */
export function officeTemplate(house: OfficeHouse, logo: Uint8Array = LOGO_PNG): Uint8Array {
  const m = house.master;
  const c = house.colors;
  const slot = (name: string) =>
    name === 'dk1'
      ? `<a:dk1><a:sysClr val="windowText" lastClr="${c.dk1}"/></a:dk1>`
      : name === 'lt1'
        ? `<a:lt1><a:sysClr val="window" lastClr="${c.lt1}"/></a:lt1>`
        : `<a:${name}><a:srgbClr val="${c[name]}"/></a:${name}>`;
  const theme = `${DECL}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="${house.name}"><a:themeElements><a:clrScheme name="${house.name}">${['dk1', 'lt1', 'dk2', 'lt2', 'accent1', 'accent2', 'accent3', 'accent4', 'accent5', 'accent6', 'hlink', 'folHlink'].map(slot).join('')}</a:clrScheme><a:fontScheme name="${house.name}"><a:majorFont><a:latin typeface="${house.fonts.major}"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="${house.fonts.minor}"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="${house.name}"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>`;
  const footerPh = `<p:sp><p:nvSpPr><p:cNvPr id="5" name="Footer Placeholder 4"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="ftr" sz="quarter" idx="3"/></p:nvPr></p:nvSpPr><p:spPr>${xfrm(m.footer)}</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US"/><a:t>${m.footerText}</a:t></a:r></a:p></p:txBody></p:sp>`;
  const master = `${DECL}<p:sldMaster ${NS}><p:cSld>${solidBg('bg1')}${tree(
    placeholder(2, 'Title Placeholder 1', 'title', null, m.title) +
      placeholder(3, 'Text Placeholder 2', 'body', 1, m.body) +
      placeholder(4, 'Date Placeholder 3', 'dt', 2, m.date) +
      footerPh +
      placeholder(6, 'Slide Number Placeholder 5', 'sldNum', 4, m.number) +
      picture(7, 'Logo', 'rIdLogo', m.logo) +
      m.bars.map((b, i) => bar(8 + i, b.name, b.color, b.box)).join(''),
  )}</p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst>${house.layouts.map((_, i) => `<p:sldLayoutId id="${2147483649 + i}" r:id="rId${i + 1}"/>`).join('')}</p:sldLayoutIdLst><p:txStyles><p:titleStyle><a:lvl1pPr><a:defRPr sz="3600"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill><a:latin typeface="+mj-lt"/></a:defRPr></a:lvl1pPr></p:titleStyle><p:bodyStyle><a:lvl1pPr><a:defRPr sz="2000"/></a:lvl1pPr></p:bodyStyle><p:otherStyle><a:lvl1pPr><a:defRPr sz="1800"/></a:lvl1pPr></p:otherStyle></p:txStyles></p:sldMaster>`;
  const masterRels = `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${house.layouts.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/slideLayout" Target="../slideLayouts/slideLayout${i + 1}.xml"/>`).join('')}<Relationship Id="rIdTheme" Type="${REL}/theme" Target="../theme/theme1.xml"/><Relationship Id="rIdLogo" Type="${REL}/image" Target="../media/image1.png"/></Relationships>`;
  const parts: Record<string, Uint8Array> = {
    'ppt/theme/theme1.xml': strToU8(theme),
    'ppt/slideMasters/slideMaster1.xml': strToU8(master),
    'ppt/slideMasters/_rels/slideMaster1.xml.rels': strToU8(masterRels),
    'ppt/media/image1.png': logo,
  };
  house.layouts.forEach((l, i) => {
    let id = 2;
    const shapes =
      l.placeholders
        .map(([type, idx, box]) =>
          placeholder(
            id++,
            `${type ?? 'Content'} ${idx ?? 0}`,
            type,
            type === 'title' || type === 'ctrTitle' ? null : idx,
            box,
          ),
        )
        .join('') +
      (l.shapes ?? [])
        .map((s) =>
          s.kind === 'logo' ? picture(id++, s.name, 'rIdLogo', s.box) : bar(id++, s.name, s.color ?? 'accent1', s.box),
        )
        .join('');
    parts[`ppt/slideLayouts/slideLayout${i + 1}.xml`] = strToU8(
      `${DECL}<p:sldLayout ${NS} type="${l.type}" preserve="1"${l.hideMaster ? ' showMasterSp="0"' : ''}><p:cSld name="${l.name}">${l.background ? solidBg(l.background) : ''}${tree(shapes)}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>`,
    );
    parts[`ppt/slideLayouts/_rels/slideLayout${i + 1}.xml.rels`] = strToU8(
      `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/slideMaster" Target="../slideMasters/slideMaster1.xml"/>${l.shapes?.some((s) => s.kind === 'logo') ? `<Relationship Id="rIdLogo" Type="${REL}/image" Target="../media/image1.png"/>` : ''}</Relationships>`,
    );
  });
  const pres = `${DECL}<p:presentation ${NS} saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldSz cx="${house.width * EMU}" cy="${house.height * EMU}"/><p:notesSz cx="6858000" cy="9144000"/><p:defaultTextStyle/></p:presentation>`;
  const presRels = `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/slideMaster" Target="slideMasters/slideMaster1.xml"/><Relationship Id="rId2" Type="${REL}/theme" Target="theme/theme1.xml"/></Relationships>`;
  const ml = 'application/vnd.openxmlformats-officedocument';
  const types = `${DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="png" ContentType="image/png"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="${ml}.presentationml.template.main+xml"/><Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="${ml}.presentationml.slideMaster+xml"/>${house.layouts.map((_, i) => `<Override PartName="/ppt/slideLayouts/slideLayout${i + 1}.xml" ContentType="${ml}.presentationml.slideLayout+xml"/>`).join('')}<Override PartName="/ppt/theme/theme1.xml" ContentType="${ml}.theme+xml"/></Types>`;
  return zipSync({
    '[Content_Types].xml': strToU8(types),
    '_rels/.rels': strToU8(
      `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="ppt/presentation.xml"/></Relationships>`,
    ),
    'ppt/presentation.xml': strToU8(pres),
    'ppt/_rels/presentation.xml.rels': strToU8(presRels),
    ...parts,
  });
}

/**
 * A template folder as `briefing init DIR --from house.potx` writes it, with the template itself
 * beside theme.yaml as its reference: the deck is built on the house's masters.
 */
export function houseFolder(house: OfficeHouse, dir: string, logo: Uint8Array = LOGO_PNG): string {
  const bytes = officeTemplate(house, logo);
  const imported = importOfficeTemplate(bytes, `${house.name.toLowerCase()}.potx`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'house.potx'), bytes);
  for (const f of imported.files) writeFileSync(join(dir, f.name), f.bytes);
  writeFileSync(join(dir, 'theme.yaml'), `${imported.themeYaml}\nreference: house.potx\n`);
  return dir;
}
