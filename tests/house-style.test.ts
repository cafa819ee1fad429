// House style (issue 15): colours as an organisation writes them, contrast that stays readable,
// and the template's palette and fonts inside the PPTX.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo } from '../src/index.js';
import { contrastRatio } from '../src/load/contrast.js';
import { PACK, readPptx, runCli, tempDir } from './helpers.js';

function templateWith(theme: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'theme.yaml'), theme);
  return dir;
}

describe('template colours', () => {
  it('takes a colour with or without `#`, in either case', async () => {
    const dir = templateWith('colors:\n  primary: "#0b2545"\n  accent: 0E6E6D\n');
    const built = await buildDeck({ content: PACK, template: dir, lang: 'en', audience: 'policymaker', slides: 4 });
    if (!built.ok) throw new Error(built.diagnostics.map((d) => d.message).join('; '));
    const { files } = readPptx(built.result.bytes);
    expect(files['ppt/theme/theme1.xml']).toContain('<a:dk2><a:srgbClr val="0B2545"/></a:dk2>');
    // The title slide's background, on its master.
    const masters = Object.entries(files).filter(([n]) => /^ppt\/slide(Masters|Layouts)\//.test(n));
    expect(masters.some(([, xml]) => xml.includes('0B2545'))).toBe(true);
  });

  it('says that an unquoted `#…` is a YAML comment, at its line', () => {
    const dir = templateWith('colors:\n  accent: "0E6E6D"\n  ink: #333333\n');
    const r = runCli(['check', '--template', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /theme\.yaml:3:\d+: error\[invalid-value\]: `colors\.ink`: no colour here: .*unquoted `#0B2545` starts a comment; write it in quotes/,
    );
  });

  it('warns about text colours below WCAG AA contrast, and refuses them under --strict', () => {
    expect(contrastRatio('000000', 'FFFFFF')).toBeCloseTo(21, 5);
    expect(contrastRatio('13C4A3', 'FFFFFF')).toBeCloseTo(2.2, 1);
    const dir = templateWith('colors:\n  accent: "13C4A3"\n');
    const r = runCli(['check', '--template', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /theme\.yaml:2:\d+: warning\[low-contrast\]: `colors\.accent` \(13C4A3\) on white is 2\.2:1, below the 4\.5:1 that kickers and labels need/,
    );
    expect(runCli(['check', '--strict', '--template', dir]).code).not.toBe(0);
    // The built-in palette passes every pair.
    expect(runCli(['check']).stderr).not.toContain('low-contrast');
  });
});

/**
 * An organisation's template, as PowerPoint writes its parts: a theme with a colour scheme (system
 * colours for Text 1 and Background 1) and Cambria/Calibri fonts, a 16:9 slide size, and a master
 * with a logo picture and footer text.
 */
function housePotx(): string {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  const theme = `<?xml version="1.0"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="House"><a:themeElements><a:clrScheme name="House"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="0B2545"/></a:dk2><a:lt2><a:srgbClr val="E7ECEF"/></a:lt2><a:accent1><a:srgbClr val="8D1B3D"/></a:accent1><a:accent2><a:srgbClr val="13315C"/></a:accent2><a:accent3><a:srgbClr val="5C7A99"/></a:accent3><a:accent4><a:srgbClr val="D4A373"/></a:accent4><a:accent5><a:srgbClr val="4F772D"/></a:accent5><a:accent6><a:srgbClr val="6C757D"/></a:accent6><a:hlink><a:srgbClr val="13315C"/></a:hlink><a:folHlink><a:srgbClr val="6C757D"/></a:folHlink></a:clrScheme><a:fontScheme name="House"><a:majorFont><a:latin typeface="Cambria"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="x"/></a:themeElements></a:theme>`;
  const pres = `<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`;
  const master = `<?xml version="1.0"?><p:sldMaster xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree><p:pic><p:nvPicPr><p:cNvPr id="7" name="Logo"/><p:cNvPicPr/><p:nvPr userDrawn="1"/></p:nvPicPr><p:blipFill><a:blip r:embed="rId3"/></p:blipFill><p:spPr><a:xfrm><a:off x="10800000" y="200000"/><a:ext cx="1016000" cy="406400"/></a:xfrm></p:spPr></p:pic><p:sp><p:nvSpPr><p:cNvPr id="5" name="Footer"/><p:cNvSpPr/><p:nvPr><p:ph type="ftr" sz="quarter" idx="11"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>Northbridge Institute &amp; Partners</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sldMaster>`;
  const masterRels = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="../theme/theme1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/image1.png"/></Relationships>`;
  const file = join(tempDir(), 'house.potx');
  writeFileSync(
    file,
    zipSync({
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      ),
      'ppt/presentation.xml': strToU8(pres),
      'ppt/theme/theme1.xml': strToU8(theme),
      'ppt/slideMasters/slideMaster1.xml': strToU8(master),
      'ppt/slideMasters/_rels/slideMaster1.xml.rels': strToU8(masterRels),
      'ppt/media/image1.png': png,
    }),
  );
  return file;
}

describe("init --from an organisation's PowerPoint template", () => {
  it('takes its colours, fonts, slide size, logo and footer into an editable theme.yaml, and builds on brand', async () => {
    const potx = housePotx();
    const dir = join(tempDir(), 'house');
    const r = runCli(['init', dir, '--from', potx]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('colours 0B2545/8D1B3D/000000, fonts Cambria/Calibri, slides 960×540 pt, logo.png');
    // Cambria cannot be measured here: the deck keeps Calibri, and the user is told what to add.
    expect(r.stdout).toMatch(/note: the template uses Cambria, .*Caladea/);
    const theme = readFileSync(join(dir, 'theme.yaml'), 'utf8');
    expect(theme).toContain('primary: "0B2545"');
    expect(theme).toContain('accent: "8D1B3D"');
    expect(theme).toContain('chart: ["8D1B3D", "13315C", "5C7A99", "D4A373", "4F772D", "6C757D"]');
    expect(theme).toContain('logo: { file: logo.png, width: 80 }');
    expect(theme).toContain('footerText: { en: "Northbridge Institute & Partners" }');
    expect(existsSync(join(dir, 'logo.png'))).toBe(true);
    // This file lists no master (no presentation relationships): it cannot carry a deck, is not kept as
    // the reference, and the user is told why.
    expect(r.stdout).toMatch(/note: the file is not kept as the deck's reference: it has no slide master/);
    expect(theme).not.toContain('reference:');
    expect(runCli(['check', '--strict', '--template', dir]).code).toBe(0);

    const built = await buildDeck({ content: PACK, template: dir, lang: 'en', audience: 'policymaker', slides: 10 });
    if (!built.ok) throw new Error(built.diagnostics.map((d) => d.message).join('; '));
    const { slides, files } = readPptx(built.result.bytes);
    expect(files['ppt/theme/theme1.xml']).toContain('<a:accent1><a:srgbClr val="8D1B3D"/></a:accent1>');
    expect(slides[1]!.shapes.some((x) => x.text === 'Northbridge Institute & Partners')).toBe(true);
    expect(files['ppt/presentation.xml']).toMatch(/<p:sldSz cx="1219\d{4}" cy="6858000"/);
  });

  const hasSoffice = spawnSync('soffice', ['--version']).status === 0;
  it.skipIf(!hasSoffice)(
    'imports a template that LibreOffice wrote',
    async () => {
      // A deck in the house colours, saved by LibreOffice Impress as an Office Open XML template.
      const house = join(tempDir(), 'house');
      expect(runCli(['init', house, '--from', housePotx()]).code).toBe(0);
      const built = await buildDeck({ content: PACK, template: house, lang: 'en', audience: 'policymaker', slides: 3 });
      if (!built.ok) throw new Error('build failed');
      const work = tempDir();
      writeFileSync(join(work, 'deck.pptx'), built.result.bytes);
      const lo = (args: string[]) =>
        spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${work}/profile`, ...args], {
          cwd: work,
          timeout: 120_000,
        });
      lo(['--convert-to', 'odp', 'deck.pptx']);
      lo(['--convert-to', 'potx:Impress Office Open XML Template', 'deck.odp']);
      const dir = join(tempDir(), 'lo');
      const r = runCli(['init', dir, '--from', join(work, 'deck.potx')]);
      expect(r.code, r.stderr).toBe(0);
      const theme = readFileSync(join(dir, 'theme.yaml'), 'utf8');
      expect(theme).toContain('primary: "0B2545"');
      expect(theme).toContain('accent: "8D1B3D"');
      expect(theme).toMatch(/width: 960\n {2}height: 540/);
      expect(runCli(['check', '--strict', '--template', dir]).code).toBe(0);
      // And kept as the reference: the deck on LibreOffice's masters and layouts.
      expect(theme).toContain('reference: "deck.potx"');
      const onLo = await buildDeck({
        content: PACK,
        template: dir,
        lang: 'zh-Hant',
        audience: 'policymaker',
        slides: 5,
      });
      if (!onLo.ok) throw new Error(onLo.diagnostics.map((d) => d.message).join('; '));
      const { files } = readPptx(onLo.result.bytes);
      const layouts = Object.keys(files).filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n));
      expect(layouts.length).toBeGreaterThan(1);
      for (let i = 1; i <= 5; i++)
        expect(files[`ppt/slides/_rels/slide${i}.xml.rels`]).toMatch(
          /Target="\.\.\/slideLayouts\/slideLayout\d+\.xml"/,
        );
      expect(files['ppt/slides/slide2.xml']).toContain('<p:ph type="title"/>');
    },
    240_000,
  );

  it('refuses a file that is not a PowerPoint package, and writes nothing', () => {
    const bad = join(tempDir(), 'house.potx');
    writeFileSync(bad, 'not a zip');
    const dir = join(tempDir(), 'house');
    const r = runCli(['init', dir, '--from', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a PowerPoint file (.potx or .pptx)');
    expect(existsSync(dir)).toBe(false);
    // A master of 100,000 unclosed pictures: read in linear time, and refused as damaged.
    const files = unzipSync(readFileSync(housePotx()));
    files['ppt/slideMasters/slideMaster1.xml'] = strToU8(`<p:sldMaster>${'<p:pic>'.repeat(100_000)}`);
    const deep = join(tempDir(), 'deep.potx');
    writeFileSync(deep, zipSync(files));
    const d = runCli(['init', join(tempDir(), 'deep'), '--from', deep]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(
      /`deep\.potx` is damaged: its part `ppt\/slideMasters\/slideMaster1\.xml` nests elements more than 256 deep/,
    );
  });

  it('says how to import a .potx given as --template, never that it does not exist', () => {
    const r = runCli(['deck', '--template', housePotx(), '-o', join(tempDir(), 'd.pptx')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /is a PowerPoint file, not a template folder: import it once with `briefing init .*house --from .*house\.potx` \(its colours, fonts and logo, and the file itself as the deck's reference\)/,
    );
    expect(r.stderr).not.toContain('does not exist');
  });
});

describe('a new audience that extends another', () => {
  it('inherits its settings and the relevance and items the pack gives it, and a loop is refused', async () => {
    const dir = tempDir();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'audiences'));
    const profile = (id: string, lines: string) =>
      writeFileSync(
        join(dir, 'audiences', `${id}.yaml`),
        `id: ${id}\n${lines}label: { en: ${id} }\ndescription: { en: "x" }\n`,
      );
    profile('legislators', 'extends: policymaker\n');
    profile('visitors', '');
    const memo = async (audience: string) => {
      const built = await buildMemo({ content: PACK, template: dir, lang: 'en', audience, pages: 1 });
      if (!built.ok) throw new Error(built.diagnostics.map((d) => d.message).join('; '));
      return built.result.build.plan;
    };
    const [legislators, policymaker, visitors] = [
      await memo('legislators'),
      await memo('policymaker'),
      await memo('visitors'),
    ];
    // The policymaker's asks, judgments and bottom line, in the same order; its memo settings too.
    expect(legislators.recommendations.map((r) => r.ref)).toEqual(policymaker.recommendations.map((r) => r.ref));
    expect(legislators.judgments.map((j) => j.ref)).toEqual(policymaker.judgments.map((j) => j.ref));
    expect(legislators.meta.bluf).toBe(policymaker.meta.bluf);
    expect(legislators.header.to).toBe('legislators');
    // Without `extends`, the pack's relevance and targeted items are not theirs.
    expect(visitors.judgments.map((j) => j.ref)).not.toEqual(policymaker.judgments.map((j) => j.ref));
    // A profile says how many asks its memo carries: the best of the same ranking, or none.
    expect(policymaker.recommendations.length).toBeGreaterThan(2);
    profile('legislators', 'extends: policymaker\nmemo: { recommendations: 2 }\n');
    expect((await memo('legislators')).recommendations.map((r) => r.ref)).toEqual(
      policymaker.recommendations.slice(0, 2).map((r) => r.ref),
    );
    profile('legislators', 'extends: policymaker\nmemo: { recommendations: 0 }\n');
    expect((await memo('legislators')).recommendations).toEqual([]);

    profile('visitors', 'extends: guests\n');
    profile('guests', 'extends: visitors\n');
    const r = runCli(['check', '--template', dir, '--audience', 'visitors']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /visitors\.yaml:2:\d+: error\[audience-extends-loop\]: audience `visitors` extends itself through `guests` → `visitors`/,
    );
  });
});

describe('the memo logo', () => {
  it('keeps the header text clear of the first page logo', async () => {
    const { loadFontMetrics } = await import('../src/layout/font-metrics.js');
    const dir = join(tempDir(), 'house');
    expect(runCli(['init', dir, '--from', housePotx()]).code).toBe(0);
    const built = await buildMemo({ content: PACK, template: dir, lang: 'en', audience: 'policymaker', pages: 1 });
    if (!built.ok) throw new Error('build failed');
    const memo = built.result.build.layout;
    const page = memo.pages[0]!;
    const logo = page.items.find((x) => x.type === 'image')!;
    expect(logo).toBeDefined();
    if (logo.type !== 'image') return;
    let checked = 0;
    for (const it of page.items) {
      if (it.type !== 'text' || it.y > logo.y + logo.h) continue;
      const font = loadFontMetrics(memo.fonts[it.font]!);
      const width = [...it.text].reduce(
        (w, ch) =>
          w + ((font.advance(ch.codePointAt(0)!) ?? font.unitsPerEm / 2) / font.unitsPerEm) * it.size + it.charSpacing,
        0,
      );
      expect(it.x + width, it.text).toBeLessThanOrEqual(logo.x);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });
});

describe('theme fonts', () => {
  it('sets a face for every language with `*`, a language’s own entry still winning', async () => {
    const dir = templateWith(
      'fonts:\n  "*":\n    deck: { face: "Calibri", eaFace: "PMingLiU" }\n  zh-Hans:\n    deck: { eaFace: "DengXian" }\n',
    );
    for (const [lang, ea] of [
      ['zh-Hant', 'PMingLiU'],
      ['zh-Hans', 'DengXian'],
    ] as const) {
      const built = await buildDeck({ content: PACK, template: dir, lang, audience: 'policymaker', slides: 3 });
      if (!built.ok) throw new Error(built.diagnostics.map((d) => d.message).join('; '));
      const title = readPptx(built.result.bytes).slides[1]!.shapes.find((s) => s.name === 'Title')!;
      expect(title.paragraphs[0]![0]!.ea).toBe(ea);
    }
  });

  it('says when a face has no files to measure it, or only some of its styles', () => {
    const dir = templateWith(
      'fonts:\n  "*":\n    deck: { face: Georgia }\n  en:\n    memo: { face: Carlito, regular: a.ttf, bold: b.ttf }\n',
    );
    const r = runCli(['check', '--template', dir]);
    expect(r.code).not.toBe(0); // a.ttf and b.ttf do not exist
    expect(r.stderr).toMatch(
      /theme\.yaml:3:\d+: warning\[font-unmeasured\]: `fonts\.\*\.deck\.face` is `Georgia` but the entry gives no font files: text would be measured with Calibri's/,
    );
    expect(r.stderr).toMatch(
      /theme\.yaml:5:\d+: warning\[partial-font\]: `fonts\.en\.memo` gives `regular` and `bold` but not `italic` or `boldItalic`/,
    );
    // A metric-compatible face (what `init --from` writes for Calibri) is fine without files.
    const twin = templateWith('fonts:\n  en:\n    deck: { face: "Carlito" }\n');
    expect(runCli(['check', '--strict', '--template', twin]).code).toBe(0);
  });
});

describe('the memo footer', () => {
  it('is shortened with an ellipsis when too long for one line, and says so', async () => {
    const long =
      'Northbridge Institute for Strategic and International Technology Policy Studies, Washington and London';
    const dir = templateWith(`footerText: { en: "${long}" }\n`);
    const built = await buildMemo({ content: PACK, template: dir, lang: 'en', audience: 'policymaker', pages: 1 });
    if (!built.ok) throw new Error(built.diagnostics.map((d) => d.message).join('; '));
    const warning = built.diagnostics.find((d) => d.code === 'footer-shortened');
    // The audience's handling line, the footer text, the running head: too long together.
    expect(warning?.message).toMatch(
      /^the memo's footer line “PRE-DECISIONAL.* · Northbridge Institute for .* · The Real AI Race/i,
    );
    const shown = /it is shown as “(.*)”$/.exec(warning!.message)![1]!;
    expect(shown).toMatch(/Northbridge Institute .*[a-z]…$/);
    // What the page shows is that line, on one line.
    const page = built.result.build.layout.pages[0]!;
    const footY = Math.max(
      ...page.items.filter((i) => i.type === 'text' && i.tag === 'page').map((i) => (i as { y: number }).y),
    );
    const footer = page.items
      .filter(
        (i): i is typeof i & { text: string; x: number; y: number } =>
          i.type === 'text' && i.tag === 'page' && (i as { y: number }).y === footY,
      )
      .sort((a, b) => a.x - b.x)
      .map((i) => i.text)
      .join('');
    expect(footer.replace(/\s+/g, ' ')).toContain(shown.replace(/\s+/g, ' '));
  });

  it('cuts after a word where it can, never inside a surrogate pair', async () => {
    const { oneLine } = await import('../src/layout/layout-memo.js');
    expect(oneLine('short', () => true)).toBe('short');
    expect(oneLine('alpha beta gamma delta', (t) => t.length <= 14)).toBe('alpha beta…');
    expect(oneLine('國華P的評論：真正的AI競賽', (t) => t.length <= 8)).toBe('國華P的評論…');
    expect(oneLine('𠀀𠀁𠀂𠀃', (t) => t.length <= 5)).toBe('𠀀𠀁…');
  });
});
