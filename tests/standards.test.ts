// Valid in every client: what the ISO/IEC 29500 schemas and PDF/UA-1 ask of our files, checked
// on the parts we write, without the outside checkers (the render test runs those: ooxml-check and
// pdfua). The second pack (valid-cables) has hostile metadata and a chart of every kind.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildHandout, buildMemo } from '../src/index.js';
import { paperFor } from '../src/layout/paper.js';
import { languageSpans } from '../src/render/pdf/render-pdf.js';
import { chartXml, notesMasterXml, presentationXml, workbookXml } from '../src/render/pptx/render-pptx.js';
import { FIXTURES, PACK, readPdf } from './helpers.js';

const CABLES = join(FIXTURES, 'packs', 'valid-cables');
type Lang = 'en' | 'zh-Hant' | 'zh-Hans';

async function deck(content: string, lang: Lang, audience: string, slides = 10): Promise<Uint8Array> {
  const r = await buildDeck({ content, lang, audience, slides });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.result.bytes;
}

async function memo(content: string, lang: Lang, audience: string, pages = 1): Promise<Uint8Array> {
  const r = await buildMemo({ content, lang, audience, pages });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.result.bytes;
}

/** Every XML part of a package, and of the workbooks inside it, by name (`book!part` inside one). */
function parts(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(unzipSync(bytes))) {
    if (/\.(xml|rels)$/.test(name)) out[name] = strFromU8(data);
    if (name.endsWith('.xlsx'))
      for (const [inner, d] of Object.entries(unzipSync(data)))
        if (/\.(xml|rels)$/.test(inner)) out[`${name}!${inner}`] = strFromU8(d);
  }
  return out;
}

/** A PDF's streams, inflated where they are compressed. */
function streams(bytes: Uint8Array): string[] {
  const pdf = Buffer.from(bytes);
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream', at, 'latin1');
    if (start < 0) break;
    const dict = pdf.subarray(Math.max(0, pdf.lastIndexOf('<<', start, 'latin1')), start).toString('latin1');
    const body = start + (pdf[start + 6] === 0x0d ? 8 : 7);
    const end = pdf.indexOf('endstream', body, 'latin1');
    const data = pdf.subarray(body, end);
    try {
      out.push((/FlateDecode/.test(dict) ? inflateSync(data) : data).toString('latin1'));
    } catch {
      out.push(data.toString('latin1'));
    }
    at = end + 9;
  }
  return out;
}

describe('PPTX parts in the schema', () => {
  it('puts notesMasterIdLst between sldMasterIdLst and sldIdLst', async () => {
    const p = parts(await deck(PACK, 'en', 'policymaker'))['ppt/presentation.xml']!;
    const [masters, notes, slides] = ['<p:sldMasterIdLst>', '<p:notesMasterIdLst>', '<p:sldIdLst>'].map((t) =>
      p.indexOf(t),
    );
    expect(masters).toBeGreaterThan(0);
    expect(notes).toBeGreaterThan(masters!);
    expect(slides).toBeGreaterThan(notes!);
    expect(presentationXml('<p:presentation><p:sldSz/></p:presentation>')).toBe(
      '<p:presentation><p:sldSz/></p:presentation>',
    );
  });

  it('names only axes a chart has, gives a line chart its grouping and its series the schema order', async () => {
    const files = parts(await deck(CABLES, 'zh-Hant', 'security'));
    const charts = Object.entries(files).filter(([n]) => /^ppt\/charts\/chart\d+\.xml$/.test(n));
    expect(charts.length).toBeGreaterThanOrEqual(2);
    const kinds = new Set<string>();
    for (const [name, xml] of charts) {
      const defined = new Set([...xml.matchAll(/<c:(?:catAx|valAx)>\s*<c:axId val="(\d+)"/g)].map((m) => m[1]));
      for (const m of xml.matchAll(/<c:(\w+)Chart>(.*?)<\/c:\1Chart>/gs)) {
        kinds.add(m[1]!);
        for (const id of m[2]!.matchAll(/<c:axId val="(\d+)"/g))
          expect(defined.has(id[1]), `${name}: axis ${id[1]}`).toBe(true);
      }
      for (const line of xml.match(/<c:lineChart>.*?<\/c:lineChart>/gs) ?? []) {
        expect(line.startsWith('<c:lineChart><c:grouping val="standard"/>')).toBe(true);
        expect(line).not.toContain('invertIfNegative');
        expect(line.indexOf('<c:marker>')).toBeLessThan(line.indexOf('<c:dLbls>'));
      }
    }
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['bar', 'line']));
    // The fix is idempotent and leaves a well-formed part.
    const fixed = charts[0]![1];
    expect(chartXml(fixed, 'zh-TW')).toBe(fixed);
  });

  it('writes chart workbooks Excel opens without repair: a plain range, a listed table, a headed column, cell formats', async () => {
    const files = parts(await deck(CABLES, 'zh-Hans', 'industry'));
    const books = [
      ...new Set(
        Object.keys(files)
          .filter((n) => n.includes('.xlsx!'))
          .map((n) => n.split('!')[0]),
      ),
    ];
    expect(books.length).toBeGreaterThanOrEqual(1);
    for (const book of books) {
      const part = (p: string) => files[`${book}!${p}`] ?? '';
      const table = part('xl/tables/table1.xml');
      expect(/ ref="([^"]*)"/.exec(table)?.[1]).toMatch(/^[A-Z]+\d+:[A-Z]+\d+$/);
      expect(part('xl/worksheets/sheet1.xml')).toMatch(
        /<tableParts count="1"><tablePart r:id="rId\d+"\/><\/tableParts><\/worksheet>\s*$/,
      );
      expect(part('xl/styles.xml')).toContain('<cellXfs count="1">');
      // The table's first column is named as its header cell reads: the first shared string.
      const first = /<si><t[^>]*>([^<]*)<\/t><\/si>/.exec(part('xl/sharedStrings.xml'))?.[1];
      expect(first).toBe('类别');
      expect(table).toContain(`<tableColumn id="1" name="${first}"/>`);
      for (const [name, xml] of Object.entries(files))
        if (name.startsWith(book!)) expect(XMLValidator.validate(xml), name).toBe(true);
    }
    expect(workbookXml('xl/worksheets/sheet1.xml', '<worksheet></worksheet>', 'Category', null)).toBe(
      '<worksheet></worksheet>',
    );
  });

  it('writes the notes master in the deck language, with no English prompt tagged as Chinese', async () => {
    for (const [lang, prompt] of [
      ['zh-Hant', '按一下以編輯母片文字樣式'],
      ['zh-Hans', '单击此处编辑母版文本样式'],
    ] as const) {
      const master = parts(await deck(PACK, lang, 'public', 5))['ppt/notesMasters/notesMaster1.xml']!;
      expect(master).toContain(prompt);
      expect(master).not.toMatch(/Click to edit|Second level|7\/23\/19/);
    }
    const en = notesMasterXml(
      '<a:rPr lang="en-US"/><a:t>Click to edit Master text styles</a:t>',
      'en-GB',
      '2025-10-20',
    );
    expect(en).toBe('<a:rPr lang="en-GB"/><a:t>Click to edit Master text styles</a:t>');
  });
});

describe('PDF/UA-1', () => {
  it('writes hostile metadata into well-formed XMP with the PDF/UA identifier, and exactly into the Info dictionary', async () => {
    for (const lang of ['en', 'zh-Hant'] as const) {
      const bytes = await memo(CABLES, lang, 'policymaker');
      const xmp = /<x:xmpmeta[\s\S]*?<\/x:xmpmeta>/.exec(Buffer.from(bytes).toString('latin1'))?.[0];
      expect(xmp).toBeDefined();
      const text = Buffer.from(xmp!, 'latin1').toString('utf8');
      expect(XMLValidator.validate(text)).toBe(true);
      expect(text).toContain('<pdfuaid:part>1</pdfuaid:part>');
      // English is set with a typographic apostrophe; the Chinese text keeps the author's `'`.
      expect(text).toContain(
        lang === 'en'
          ? 'Lee &amp; O’Brien &lt;Policy Lab&gt; 研究室'
          : 'Lee &amp; O&apos;Brien &lt;Policy Lab&gt; 研究室',
      );
      const info = (await readPdf(bytes)).info;
      // Chinese spacing: no space between 研究室 and the bracket in zh.
      expect(info.Author).toMatch(/^Lee & O['’]Brien <Policy Lab> 研究室 ?\((Taipei|台北)\)$/);
      expect(String(info.Title)).toContain('&');
    }
  });

  it('describes every link: a note mark by its source, a web link by its text', async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    // The public's two-page memo cites two sources, so it has note marks as well as web links.
    const doc = await pdfjs.getDocument({
      data: await memo(PACK, 'en', 'public', 2),
      verbosity: 0,
      isEvalSupported: false,
    }).promise;
    const links: { contents: string; url?: string; dest?: unknown }[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      for (const a of (await (await doc.getPage(i)).getAnnotations()) as {
        subtype: string;
        contentsObj?: { str: string };
        url?: string;
        dest?: unknown;
      }[]) {
        if (a.subtype === 'Link') links.push({ contents: a.contentsObj?.str ?? '', url: a.url, dest: a.dest });
      }
    }
    await doc.destroy();
    expect(links.some((l) => l.dest) && links.some((l) => l.url)).toBe(true);
    for (const l of links) expect(l.contents.trim().length, JSON.stringify(l)).toBeGreaterThan(0);
    // A note mark says which source it leads to.
    for (const l of links.filter((x) => x.dest)) {
      expect(l.contents).toMatch(/^\[\d\] \S/);
      expect(l.contents).not.toMatch(/https?:|^\[\d\] \d\./);
    }
    expect(links.find((l) => l.dest && l.contents.startsWith('[1]'))!.contents).toMatch(
      /^\[1\] Colin H\. Kahl and Jim Mitre, .*The Real AI Race.*2025, as summarised by 國華P \(20 October 2025\)\.$/,
    );
  });

  it('maps no glyph to U+0000 in any ToUnicode CMap', async () => {
    for (const bytes of [
      await memo(PACK, 'zh-Hant', 'security'),
      await buildHandout({ content: PACK, lang: 'en', audience: 'policymaker', slides: 5, notes: true }).then((r) =>
        r.ok ? r.result.bytes : new Uint8Array(),
      ),
    ]) {
      const cmaps = streams(bytes).filter((s) => s.includes('beginbfrange'));
      expect(cmaps.length).toBeGreaterThan(0);
      for (const cmap of cmaps) {
        expect(cmap).not.toMatch(/<0000> <[0-9a-f]{4}> \[/);
        expect(cmap).not.toMatch(/\[<0000>|<0000>\]| <0000> /);
        // At most 100 ranges to a block, as the CMap format allows.
        for (const n of cmap.matchAll(/(\d+) beginbfrange/g)) expect(Number(n[1])).toBeLessThanOrEqual(100);
      }
    }
  });

  it('marks English passages in Chinese text, and Chinese in English, with their own language', async () => {
    expect(languageSpans('依據 Kahl 與 Mitre 在《Foreign Affairs》的文章，AI 與 5 GW', 'zh-TW')).toEqual([
      { text: '依據 ', lang: null },
      { text: 'Kahl', lang: 'en' },
      { text: ' 與 ', lang: null },
      { text: 'Mitre', lang: 'en' },
      { text: ' 在《', lang: null },
      { text: 'Foreign Affairs', lang: 'en' },
      { text: '》的文章，AI 與 5 GW', lang: null },
    ]);
    expect(languageSpans('via Guohua P (國華P) commentary', 'en-GB')).toEqual([
      { text: 'via Guohua P (', lang: null },
      { text: '國華', lang: 'zh' },
      { text: 'P) commentary', lang: null },
    ]);
    expect(languageSpans('', 'zh-TW')).toEqual([{ text: '', lang: null }]);
    // In the memo: Span elements with /Lang (en) hold the English names and titles.
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({
      data: await memo(CABLES, 'zh-Hant', 'policymaker'),
      verbosity: 0,
      isEvalSupported: false,
    }).promise;
    const page = await doc.getPage(1);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const text = new Map<string, string>();
    let open: string | null = null;
    for (const it of content.items as { type?: string; id?: string; str?: string }[]) {
      if (it.type === 'beginMarkedContentProps') open = it.id ?? null;
      else if (it.type === 'endMarkedContent') open = null;
      else if (open && typeof it.str === 'string') text.set(open, (text.get(open) ?? '') + it.str);
    }
    type Node = { role?: string; lang?: string; type?: string; id?: string; children?: Node[] };
    const spans: string[] = [];
    const walk = (n: Node) => {
      if (n.role === 'Span' && n.lang === 'en')
        spans.push((n.children ?? []).map((c) => text.get(c.id ?? '') ?? '').join(''));
      for (const c of n.children ?? []) walk(c);
    };
    walk((await page.getStructTree()) as Node);
    await doc.destroy();
    expect(spans.length).toBeGreaterThan(0);
    for (const s of spans) expect(s).toMatch(/^[\x20-\x7e\u00a0-\u024f’]+$/);
  });

  it('gives letter-spaced labels their words as ActualText, inside the text object', async () => {
    const r = await buildHandout({ content: PACK, lang: 'en', audience: 'policymaker', slides: 5, notes: true });
    if (!r.ok) throw new Error('handout');
    const content = streams(r.result.bytes).find((s) => s.includes('/ActualText'));
    expect(content).toBeDefined();
    expect(content).toMatch(
      /BT\n\/Span <<\n\/MCID \d+\n\/ActualText \(POLICY BRIEFING FOR POLICYMAKERS\)\n>> BDC\n[\s\S]*?EMC\nET/,
    );
    // poppler, where it is installed, extracts the label whole and in reading order.
    let text: string | null = null;
    try {
      text = execFileSync('pdftotext', ['-l', '1', '-', '-'], { input: Buffer.from(r.result.bytes) }).toString();
    } catch {
      text = null;
    }
    if (text !== null) expect(text.trimStart().startsWith('POLICY BRIEFING FOR POLICYMAKERS')).toBe(true);
  });

  it('sets paper by locale unless the theme names one', async () => {
    expect(paperFor('en-US')).toBe('letter');
    expect(paperFor('en-GB')).toBe('a4');
    expect(paperFor('zh-TW')).toBe('a4');
    expect(paperFor('zh-CN')).toBe('a4');
    expect(paperFor('es-MX')).toBe('letter');
    expect(paperFor('zh-Hant-TW')).toBe('a4');
    expect(paperFor('en')).toBe('a4');
    expect(paperFor('en-GB', 'letter')).toBe('letter');
    // The built-in pack is en-GB; the tiny pack declares no locale, so its English is en-US.
    expect((await readPdf(await memo(PACK, 'en', 'policymaker'))).pageSize).toEqual([595.28, 841.89]);
    expect((await readPdf(await memo(join(FIXTURES, 'packs', 'valid'), 'en', 'policymaker'))).pageSize).toEqual([
      612, 792,
    ]);
  });
});
