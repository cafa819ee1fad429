// A deck on an organisation's own masters (theme.yaml `reference: house.potx`, issue 15): the
// output carries the reference's masters, layouts, theme and pictures, its slides sit on the
// reference's layouts, and nothing we draw touches the pictures and shapes the masters draw.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../src/index.js';
import { PACK, runCli, tempDir } from './helpers.js';
import { houseFolder, LOGO_PNG, MERIDIAN, NORTHBRIDGE, type OfficeHouse, officeTemplate } from './office-templates.js';

const EMU = 12700;
type Rect = { x: number; y: number; w: number; h: number };

/** Every placed thing in a part's shape tree with its rectangle in points; placeholders flagged. */
function placed(xml: string): { name: string; kind: string; placeholder: boolean; rect: Rect }[] {
  const out: { name: string; kind: string; placeholder: boolean; rect: Rect }[] = [];
  for (const m of xml.matchAll(/<p:(sp|pic|graphicFrame|cxnSp)>(.*?)<\/p:\1>/gs)) {
    const body = m[2]!;
    const off = /<a:off x="(-?\d+)" y="(-?\d+)"\/>\s*<a:ext cx="(\d+)" cy="(\d+)"\/>/.exec(body);
    if (!off) continue;
    const [x, y, w, h] = off.slice(1, 5).map((v) => Number(v) / EMU) as [number, number, number, number];
    out.push({
      name: /<p:cNvPr id="\d+" name="([^"]*)"/.exec(body)?.[1] ?? '',
      kind: m[1]!,
      placeholder: /<p:ph\b/.test(body),
      rect: { x, y, w, h },
    });
  }
  return out;
}

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

async function houseDeck(house: OfficeHouse, lang: 'en' | 'zh-Hant' | 'zh-Hans' = 'en', slides = 10) {
  const dir = houseFolder(house, join(tempDir(), 'house'));
  const built = await buildDeck({ content: PACK, template: dir, lang, audience: 'policymaker', slides });
  if (!built.ok) throw new Error(built.diagnostics.map((d) => d.message).join('; '));
  const files = unzipSync(built.result.bytes);
  const text = (name: string) => strFromU8(files[name]!);
  return { built, files, text, dir };
}

/** A part's relationships: id → target part name. */
function rels(text: (n: string) => string, part: string): Map<string, string> {
  const slash = part.lastIndexOf('/');
  const xml = text(`${part.slice(0, slash)}/_rels/${part.slice(slash + 1)}.rels`);
  const dir = part.slice(0, slash).split('/');
  return new Map(
    [...xml.matchAll(/<Relationship Id="([^"]+)"[^>]*Target="([^"]+)"/g)].map((m) => {
      const parts = [...dir];
      for (const s of m[2]!.split('/')) s === '..' ? parts.pop() : parts.push(s);
      return [m[1]!, parts.join('/')];
    }),
  );
}

describe.each([
  { house: NORTHBRIDGE, content: 'Title Only' },
  // No "Title Only": the layout with a title and the fewest other placeholders.
  { house: MERIDIAN, content: 'Title and Content' },
])('a deck on $house.name’s masters', ({ house, content }) => {
  it('carries its masters, layouts, theme and pictures, and puts each slide on its layouts', async () => {
    const { files, text, built } = await houseDeck(house);
    const layouts = Object.keys(files)
      .filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n))
      .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
    const nameOf = (part: string) => /<p:cSld name="([^"]*)"/.exec(text(part))?.[1];
    // Every layout of the reference, by name, in its order; ours are gone.
    expect(layouts.map(nameOf)).toEqual(house.layouts.map((l) => l.name));
    const masters = Object.keys(files).filter((n) => /^ppt\/slideMasters\/slideMaster\d+\.xml$/.test(n));
    expect(masters).toHaveLength(1);
    const master = text(masters[0]!);
    // Its pictures and shapes, where it put them, and the picture's bytes.
    const shapes = placed(master).filter((s) => !s.placeholder);
    expect(shapes.map((s) => s.name)).toEqual(['Logo', ...house.master.bars.map((b) => b.name)]);
    expect(shapes[0]!.rect).toEqual(house.master.logo);
    const logo = rels(text, masters[0]!).get(/r:embed="([^"]+)"/.exec(master)![1]!)!;
    expect(Buffer.from(files[logo]!).equals(LOGO_PNG)).toBe(true);
    expect(master).toContain('<p:bg><p:bgPr><a:solidFill><a:schemeClr val="bg1"/>');
    // Its theme, with the template folder's colours (imported from it) and the deck's fonts.
    const theme = text('ppt/theme/theme1.xml');
    expect(theme).toContain(`<a:dk2><a:srgbClr val="${house.colors.dk2}"/></a:dk2>`);
    expect(theme).toContain(`<a:accent1><a:srgbClr val="${house.colors.accent1}"/></a:accent1>`);
    expect(theme).toContain('<a:majorFont><a:latin typeface="Calibri"/>');
    expect(text('ppt/presentation.xml')).toContain(`<p:sldSz cx="${house.width * EMU}" cy="${house.height * EMU}"`);
    // The cover on "Title Slide", its title on the centred title placeholder; the rest on `content`.
    const slides = built.result.build.layout.slides;
    slides.forEach((_, i) => {
      const part = `ppt/slides/slide${i + 1}.xml`;
      const layout = [...rels(text, part).values()].find((t) => t.startsWith('ppt/slideLayouts/'))!;
      expect(nameOf(layout), `slide ${i + 1}`).toBe(i === 0 ? 'Title Slide' : content);
      expect(text(part)).toContain(i === 0 ? '<p:ph type="ctrTitle"/>' : '<p:ph type="title"/>');
    });
    // Content types name every part the package holds.
    const types = text('[Content_Types].xml');
    for (const part of [...layouts, ...masters, 'ppt/theme/theme1.xml'])
      expect(types).toContain(`<Override PartName="/${part}"`);
  });

  it('keeps every box clear of the pictures and shapes its master and layouts draw', async () => {
    for (const lang of ['en', 'zh-Hant'] as const) {
      const { text, built } = await houseDeck(house, lang);
      const slides = built.result.build.layout.slides;
      slides.forEach((_, i) => {
        const part = `ppt/slides/slide${i + 1}.xml`;
        const layout = [...rels(text, part).values()].find((t) => t.startsWith('ppt/slideLayouts/'))!;
        const layoutXml = text(layout);
        const masterShown = !layoutXml.includes('showMasterSp="0"');
        const drawn = [
          ...(masterShown ? placed(text('ppt/slideMasters/slideMaster1.xml')) : []),
          ...placed(layoutXml),
        ].filter((s) => !s.placeholder);
        expect(drawn.length, `slide ${i + 1} has the house's pictures`).toBeGreaterThan(0);
        for (const box of placed(text(part)))
          for (const d of drawn)
            expect(
              overlaps(box.rect, d.rect),
              `${lang} slide ${i + 1}: “${box.name}” overlaps the master's “${d.name}”`,
            ).toBe(false);
      });
    }
  });

  it('is the same bytes for the same inputs', async () => {
    const a = await houseDeck(house, 'zh-Hans', 5);
    const b = await buildDeck({ content: PACK, template: a.dir, lang: 'zh-Hans', audience: 'policymaker', slides: 5 });
    if (!b.ok) throw new Error('build failed');
    expect(Buffer.from(b.result.bytes).equals(Buffer.from(a.built.result.bytes))).toBe(true);
  });
});

describe('init --from', () => {
  it('keeps the template as the reference, so three commands make a deck on its masters', () => {
    const potx = join(tempDir(), 'Northbridge House.potx');
    writeFileSync(potx, officeTemplate(NORTHBRIDGE));
    const dir = join(tempDir(), 'house');
    const r = runCli(['init', dir, '--from', potx]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('logo.png, Northbridge House.potx');
    const theme = readFileSync(join(dir, 'theme.yaml'), 'utf8');
    expect(theme).toContain('reference: "Northbridge House.potx"');
    expect(theme).toMatch(
      /built on its slide masters and layouts \(Title Only for\n# content, Title Slide for the cover\)/,
    );
    expect(runCli(['check', '--strict', '--template', dir]).code).toBe(0);
    const out = join(tempDir(), 'deck.pptx');
    expect(runCli(['deck', '--template', dir, '-o', out]).code).toBe(0);
    expect(strFromU8(unzipSync(readFileSync(out))['ppt/slideLayouts/slideLayout3.xml']!)).toContain(
      'name="Title Only"',
    );
    // --no-reference: the colours only, on the built-in masters.
    const plain = join(tempDir(), 'plain');
    expect(runCli(['init', plain, '--from', potx, '--no-reference']).code).toBe(0);
    expect(readFileSync(join(plain, 'theme.yaml'), 'utf8')).not.toContain('reference:');
    expect(existsSync(join(plain, 'Northbridge House.potx'))).toBe(false);
  });
});

describe('a reference file that is not usable', () => {
  const folderWith = (bytes: Uint8Array | string, name = 'house.potx') => {
    const dir = tempDir();
    writeFileSync(join(dir, name), bytes);
    writeFileSync(join(dir, 'theme.yaml'), `colors:\n  accent: "8D1B3D"\nreference: ${name}\n`);
    return dir;
  };

  it('is refused at its line in theme.yaml, with what is wrong and how to fix it', () => {
    const notZip = runCli(['check', '--template', folderWith('not a zip')]);
    expect(notZip.code).not.toBe(0);
    expect(notZip.stderr).toMatch(
      /theme\.yaml:3:\d+: error\[bad-reference\]: the reference `house\.potx` is not a PowerPoint file \(\.potx or \.pptx\)/,
    );
    const dir = tempDir();
    writeFileSync(join(dir, 'theme.yaml'), 'reference: ../house.potx\n');
    const outside = runCli(['check', '--template', dir]);
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/theme\.yaml:1:\d+: error\[[a-z-]+\]: the reference `\.\.\/house\.potx`/);
    const typo = folderWith('x', 'Meridian.potx');
    writeFileSync(join(typo, 'theme.yaml'), 'reference: meridain.potx\n');
    expect(runCli(['check', '--template', typo]).stderr).toMatch(
      /theme\.yaml:1:\d+: error\[missing-file\]: the reference `meridain\.potx` does not exist in the template folder\n\s+hint: did you mean `Meridian\.potx`\?/,
    );
    const word = runCli(['check', '--template', folderWith('x', 'house.docx')]);
    expect(word.stderr).toContain('the reference must be a PowerPoint template or presentation (.potx or .pptx)');
  });

  it('refuses masters that link outside the package, and writes nothing', () => {
    const files = unzipSync(officeTemplate(NORTHBRIDGE));
    const relsPart = 'ppt/slideMasters/_rels/slideMaster1.xml.rels';
    files[relsPart] = strToU8(
      strFromU8(files[relsPart]!).replace(
        'Target="../media/image1.png"',
        'Target="https://tracker.example/pixel.png" TargetMode="External"',
      ),
    );
    const dir = folderWith(zipSync(files));
    const check = runCli(['check', '--template', dir]);
    expect(check.code).not.toBe(0);
    expect(check.stderr).toMatch(
      /theme\.yaml:3:\d+: error\[bad-reference\]: the reference `house\.potx` has a link to an outside address/,
    );
    const out = join(tempDir(), 'deck.pptx');
    const r = runCli(['deck', '--template', dir, '-o', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('has a link to an outside address in its masters (`https://tracker.example/pixel.png`)');
    expect(r.stderr).toContain('remove the link');
    expect(existsSync(out)).toBe(false);
  });
});

describe('a hostile reference file', () => {
  /** The template with one part rewritten. */
  const withPart = (name: string, edit: (xml: string) => string) => {
    const files = unzipSync(officeTemplate(NORTHBRIDGE));
    files[name] = strToU8(edit(strFromU8(files[name]!)));
    return zipSync(files);
  };
  /** The template with a second central-directory entry naming the picture's data again (a zip bomb's trick). */
  const sharedData = () => {
    const zip = Buffer.from(officeTemplate(NORTHBRIDGE));
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const start = zip.readUInt32LE(eocd + 16);
    const at = zip.indexOf(Buffer.from('ppt/media/image1.png'), start) - 46;
    const size = 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const copy = Buffer.from(zip.subarray(at, at + size));
    copy.write('ppt/media/image2.png', 46);
    const end = Buffer.from(zip.subarray(eocd));
    end.writeUInt16LE(end.readUInt16LE(8) + 1, 8);
    end.writeUInt16LE(end.readUInt16LE(10) + 1, 10);
    end.writeUInt32LE(end.readUInt32LE(12) + size, 12);
    return Buffer.concat([zip.subarray(0, eocd), copy, end]);
  };
  const master = 'ppt/slideMasters/slideMaster1.xml';
  const cases: [string, Uint8Array, RegExp][] = [
    ['entries sharing their data', sharedData(), /has entries that share their data/],
    [
      'a DOCTYPE',
      withPart(master, (x) => x.replace('<p:sldMaster', '<!DOCTYPE x [<!ENTITY a "b">]><p:sldMaster')),
      /is damaged: its part `ppt\/slideMasters\/slideMaster1\.xml` has a DOCTYPE/,
    ],
    ['a NUL', withPart(master, (x) => x.replace('name="Logo"', 'name="Lo&#0;go"')), /a character XML does not allow/],
    [
      'a stray `&`',
      withPart(master, (x) => x.replace('name="Logo"', 'name="Lo & go"')),
      /an `&` that starts no entity/,
    ],
    ['an unclosed element', withPart(master, (x) => x.replace('</p:sldMaster>', '')), /does not close `<p:sldMaster>`/],
    [
      'a position that is not a number',
      withPart(master, (x) => x.replace(/<a:off x="\d+"/, '<a:off x="NaN"')),
      /places a shape at `NaN`, which is not a number of EMU/,
    ],
    [
      'a relationship to a relationship part',
      withPart('ppt/slideMasters/_rels/slideMaster1.xml.rels', (x) =>
        x.replace('Target="../media/image1.png"', 'Target="../../_rels/.rels"'),
      ),
      /has a relationship to a part that is not content \(`_rels\/\.rels`\)/,
    ],
    [
      'the master as its own layout',
      withPart('ppt/slideMasters/_rels/slideMaster1.xml.rels', (x) =>
        x.replace('Target="../slideLayouts/slideLayout1.xml"', 'Target="slideMaster1.xml"'),
      ),
      /has a master that lists `ppt\/slideMasters\/slideMaster1\.xml` as a layout/,
    ],
    [
      'a master whose content type says it is a picture',
      withPart('[Content_Types].xml', (x) =>
        x.replace(/(PartName="\/ppt\/slideMasters\/slideMaster1\.xml" ContentType=")[^"]*/, '$1image/png'),
      ),
      /has a master \(`ppt\/slideMasters\/slideMaster1\.xml`\) whose content type says it is something else/,
    ],
  ];
  it.each(cases)('refuses %s at the line of `reference:`, quickly, and writes nothing', (_, bytes, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'house.potx'), bytes);
    writeFileSync(join(dir, 'theme.yaml'), 'reference: house.potx\n');
    const out = join(tempDir(), 'deck.pptx');
    const r = runCli(['deck', '--template', dir, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/theme\.yaml:1:\d+: error\[bad-reference\]: the reference `house\.potx` /);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('reads XML in linear time, within limits, without a stack overflow', async () => {
    const { parseXml, XmlError } = await import('../src/load/xml-tree.js');
    // 2,000 attributes on one element; 250,000 elements; 300 levels; unterminated comments.
    expect(() => parseXml(`<a ${Array.from({ length: 2000 }, (_, i) => `b${i}="1"`).join(' ')}/>`)).toThrow(XmlError);
    expect(() => parseXml(`<a>${'<b/>'.repeat(250_000)}</a>`)).toThrow(/more than 200000 elements/);
    expect(() => parseXml(`${'<a>'.repeat(300)}${'</a>'.repeat(300)}`)).toThrow(/more than 256 deep/);
    expect(parseXml(`<a>${'<!--'.repeat(100_000)}`)?.name).toBe('a');
    expect(() => parseXml(`<a>${'<!--'.repeat(100_000)}`, true)).toThrow(/unterminated comment/);
    expect(parseXml('<a x="1" y=\'2\'><b>t &amp; &#x4E2D;</b></a>', true)?.children[0]?.text).toBe('t & 中');
  });
});
