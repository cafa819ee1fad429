// The same inputs give the same bytes, for both formats and every language; the date comes from
// --date, SOURCE_DATE_EPOCH or the pack, never the clock.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo } from '../src/index.js';
import { PACK, readPptx, runCli, tempDir } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('reproducible output', () => {
  for (const lang of ['en', 'zh-Hant', 'zh-Hans'] as const) {
    it(`builds byte-identical decks and memos twice (${lang})`, async () => {
      const hashes: string[][] = [];
      for (let run = 0; run < 2; run++) {
        const deck = await buildDeck({ content: PACK, lang, audience: 'security', slides: 8 });
        const memo = await buildMemo({ content: PACK, lang, audience: 'security', pages: 2 });
        if (!deck.ok || !memo.ok) throw new Error('build failed');
        hashes.push([sha(deck.result.bytes), sha(memo.result.bytes)]);
      }
      expect(hashes[1]).toEqual(hashes[0]);
    });
  }

  it('gives the same deck from the CLI (parts zipped once) as from the library (through JSZip)', async () => {
    // The CLI's bundle replaces JSZip with src/render/pptx/parts-zip.ts; the library uses JSZip.
    const house = join(PACK, '..', '..', 'docs', 'examples', 'house-template');
    for (const [args, options] of [
      [['--audience', 'industry'], { template: null }],
      [['--template', house, '--lang', 'zh-Hant'], { template: house, lang: 'zh-Hant' as const }],
    ] as const) {
      const cli = runCli(['deck', '--slides', '10', '--date', '2026-01-02', '-o', 'deck.pptx', ...args]);
      expect(cli.code, cli.stderr).toBe(0);
      const lib = await buildDeck({
        content: PACK,
        lang: 'en',
        audience: args[1] === 'industry' ? 'industry' : 'policymaker',
        slides: 10,
        date: '2026-01-02',
        ...options,
      });
      if (!lib.ok) throw new Error('build failed');
      // The industry deck has a native chart, with its workbook; the house deck a reference's masters.
      expect(sha(readFileSync(join(cli.cwd, 'deck.pptx')))).toBe(sha(lib.result.bytes));
    }
  });

  it('takes the date from --date, then SOURCE_DATE_EPOCH, then the pack', () => {
    const cwd = tempDir();
    const core = (file: string) => readPptx(readFileSync(join(cwd, file))).files['docProps/core.xml']!;
    const env = { ...process.env };
    expect(runCli(['deck', '--slides', '3', '-o', 'pack.pptx'], cwd).code).toBe(0);
    expect(core('pack.pptx')).toContain('2025-10-20T00:00:00Z');
    process.env.SOURCE_DATE_EPOCH = '1767225600'; // 2026-01-01
    try {
      expect(runCli(['deck', '--slides', '3', '-o', 'epoch.pptx'], cwd).code).toBe(0);
      expect(core('epoch.pptx')).toContain('2026-01-01T00:00:00Z');
      expect(runCli(['deck', '--slides', '3', '--date', '2026-03-04', '-o', 'flag.pptx'], cwd).code).toBe(0);
      expect(core('flag.pptx')).toContain('2026-03-04T00:00:00Z');
      process.env.SOURCE_DATE_EPOCH = 'yesterday';
      expect(runCli(['deck', '--slides', '3', '-o', 'bad.pptx'], cwd).code).toBe(2);
    } finally {
      process.env = env;
    }
  });
});
