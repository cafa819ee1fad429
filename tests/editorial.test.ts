// The editorial rules (issue 13): each thing said once, a type scale, judgments with evidence,
// decisions a reader can act on. Measured on what the reader gets, for every audience in English
// and Traditional Chinese.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo } from '../src/index.js';
import { loadTemplates } from '../src/load/load-templates.js';
import type { LaidDeck } from '../src/model/layout.js';
import { splitSentences } from '../src/plan/sentences.js';
import { PACK, readPptx, shortDiagnostics, tempDir } from './helpers.js';

const AUDIENCES = ['policymaker', 'security', 'industry', 'partners', 'public'];
const LANGS = ['en', 'zh-Hant'] as const;

/** Roles that set running text on a slide (not titles, labels, figures or footers). */
const BODY_ROLES = new Set(['body', 'column', 'bottomLine', 'lead']);

async function deck(audience: string, lang: (typeof LANGS)[number], slides: number) {
  const r = await buildDeck({ content: PACK, lang, audience, slides });
  if (!r.ok) throw new Error(`${audience} ${lang} ${slides}: ${shortDiagnostics(r.diagnostics)}`);
  return r.result;
}

/**
 * Paragraphs of 40 or more characters said on two slides: the same, or one inside the other (a
 * summary bullet `Topic: title of a later slide`), source lines and slide numbers aside.
 */
function saidTwice(bytes: Uint8Array): string[] {
  const said: { slide: number; text: string }[] = [];
  readPptx(bytes).slides.forEach((slide, i) => {
    for (const shape of slide.shapes) {
      if (/^(Slide Number|Source)/.test(shape.name)) continue;
      for (const p of shape.paragraphs) {
        const text = p.map((r) => r.text).join('').replace(/\s+/g, ' ').trim();
        if (text) said.push({ slide: i + 1, text });
      }
    }
  });
  return said.filter((a) => [...a.text].length >= 40).flatMap((a) => said.filter((b) => b.slide !== a.slide && b.text.includes(a.text)).map((b) => `slides ${a.slide} and ${b.slide}: ${a.text}`));
}

describe('say it once', () => {
  for (const lang of LANGS) {
    it(`repeats no paragraph of 40+ characters on two slides of a 10-slide deck (${lang})`, async () => {
      for (const audience of AUDIENCES) {
        expect(saidTwice((await deck(audience, lang, 10)).bytes), audience).toEqual([]);
      }
    });
  }

  for (const lang of LANGS) {
    it(`gives each audience its own one-page memo: any two share at most 40 % of their sentences (${lang})`, async () => {
      const sentences = new Map<string, Set<string>>();
      for (const audience of AUDIENCES) {
        const r = await buildMemo({ content: PACK, lang, audience, pages: 1 });
        if (!r.ok) throw new Error(shortDiagnostics(r.diagnostics));
        const plan = r.result.build.plan;
        const said = [plan.meta.bluf, ...plan.judgments.map((j) => j.text), ...plan.sections.flatMap((s) => s.items.map((x) => x.text)), ...plan.recommendations.map((x) => x.text)];
        sentences.set(audience, new Set(said.flatMap((t) => splitSentences(t)).map((s) => s.trim()).filter(Boolean)));
      }
      for (let i = 0; i < AUDIENCES.length; i++) {
        for (let j = i + 1; j < AUDIENCES.length; j++) {
          const [a, b] = [sentences.get(AUDIENCES[i]!)!, sentences.get(AUDIENCES[j]!)!];
          const shared = [...a].filter((s) => b.has(s)).length;
          expect(shared / Math.min(a.size, b.size), `${AUDIENCES[i]} / ${AUDIENCES[j]}`).toBeLessThanOrEqual(0.4);
        }
      }
    });
  }
});

describe('a type scale', () => {
  for (const lang of LANGS) {
    it(`sets the body text of a 20-slide deck in at most 3 sizes, all steps of the scale (${lang})`, async () => {
      for (const audience of AUDIENCES) {
        const laid = (await deck(audience, lang, 20)).build.layout as LaidDeck;
        const sizes = new Set<number>();
        for (const slide of laid.slides) {
          for (const shape of slide.shapes) {
            if (shape.type !== 'text') continue;
            for (const p of shape.paragraphs) if (BODY_ROLES.has(p.role)) for (const run of p.runs) sizes.add(run.size);
          }
        }
        expect(sizes.size, `${audience}: ${[...sizes].join(', ')}`).toBeLessThanOrEqual(3);
        for (const size of sizes) expect([22, 18, 15], audience).toContain(size);
      }
    });
  }

  it('resolves a role to the steps of its scale between its min and max, and reports a scale that does not exist', () => {
    const { templates } = loadTemplates({ audience: 'policymaker', lang: 'en' });
    expect(templates!.theme.deck.roles.column).toMatchObject({ steps: [18, 15], max: 18, min: 15 });
    expect(templates!.theme.deck.roles.body).toMatchObject({ steps: [22, 18, 15], max: 22, min: 15 });
    const dir = tempDir();
    writeFileSync(join(dir, 'theme.yaml'), 'deck:\n  roles:\n    body: { max: 24, min: 14, steps: bdy, lineHeight: 1.2 }\n    lead: { max: 30, min: 25, steps: body, lineHeight: 1.2 }\n');
    const bad = loadTemplates({ userDir: dir, audience: 'policymaker', lang: 'en', display: (p) => p.replace(`${dir}/`, '') });
    expect(bad.templates).toBeNull();
    expect(shortDiagnostics(bad.diagnostics)).toContain('theme.yaml:3:38 error[invalid-value] `deck.roles.body.steps`: the type scale has no `bdy`');
    expect(shortDiagnostics(bad.diagnostics)).toContain('theme.yaml:4:38 error[invalid-value] `deck.roles.lead.steps`: no step lies between `min` (25) and `max` (30)');
  });
});
