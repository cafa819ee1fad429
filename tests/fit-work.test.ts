// The fitting search's work, counted (never timed): a one-page memo may cost at most three
// template → parse → layout passes' worth of parsing and line breaking, however many attempts the
// search makes, because each attempt parses and breaks only the blocks it has not seen.
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo } from '../src/index.js';
import { breakWork, forgetLineBreaks } from '../src/layout/break-lines.js';
import type { Block, Run } from '../src/model/document.js';
import { PACK } from './helpers.js';

/** Characters of text in a document's blocks: what one layout pass breaks into lines. */
function textLength(blocks: readonly Block[]): number {
  const runs = (rs: readonly Run[]) => rs.reduce((n, r) => n + r.text.length, 0);
  return blocks.reduce((n, b) => {
    if (b.type === 'heading' || b.type === 'paragraph') return n + runs(b.runs);
    if (b.type === 'list') return n + b.items.reduce((m, it) => m + textLength(it.blocks), 0);
    if (b.type === 'quote') return n + textLength(b.blocks);
    if (b.type === 'table') return n + b.rows.flat().reduce((m, cell) => m + runs(cell), 0);
    return n;
  }, 0);
}

const PASSES = 3;

describe('fitting work', () => {
  for (const lang of ['en', 'zh-Hant', 'zh-Hans'] as const) {
    for (const audience of ['policymaker', 'public']) {
      it(`a 1-page memo (${lang}, ${audience}) costs at most ${PASSES} passes`, async () => {
        forgetLineBreaks();
        const broken = breakWork.broken;
        const r = await buildMemo({ content: PACK, lang, audience, pages: 1 });
        if (!r.ok) throw new Error('memo failed');
        const { work, markdown, document } = r.result.build;
        // The search tries several prefixes of the ranked items (and body sizes)…
        expect(work.attempts).toBeGreaterThan(PASSES);
        // …yet parses at most three documents' worth of Markdown,
        expect(work.parse.parsed).toBeLessThanOrEqual(PASSES * markdown.length);
        expect(work.parse.asked).toBeGreaterThan(PASSES * markdown.length);
        // and breaks at most three documents' worth of text into lines.
        expect(breakWork.broken - broken).toBeLessThanOrEqual(PASSES * textLength(document.blocks));
      });
    }
  }

  it('a deck that drops items parses only the slides that changed', async () => {
    const r = await buildDeck({ content: PACK, lang: 'en', audience: 'policymaker', slides: 10 });
    if (!r.ok) throw new Error('deck failed');
    const { work, markdown } = r.result.build;
    expect(work.attempts).toBeGreaterThan(1);
    expect(work.parse.parsed).toBeLessThan(1.5 * markdown.length);
    // …and lays out again only the slides that changed.
    expect(work.slidesLaidOut).toBeLessThan(1.5 * r.result.build.layout.slides.length);
  });
});
