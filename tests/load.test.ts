// load: every malformed pack gives the right diagnostics at the right place (goldens), and the
// real pack loads cleanly.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../src/load/load-pack.js';
import { AUDIENCES } from '../src/model/lang.js';
import { FIXTURES, golden, PACK, shortDiagnostics } from './helpers.js';

const PACKS = join(FIXTURES, 'packs');

describe('loadPack', () => {
  it('loads the built-in pack without a problem', () => {
    const { pack, diagnostics } = loadPack(PACK, { audiences: AUDIENCES });
    expect(diagnostics).toEqual([]);
    expect(pack!.modules.map((m) => m.id)).toEqual(['stakes', 'innovation', 'national-security', 'economy', 'global-infrastructure', 'catastrophic-risk', 'strategy']);
    const spanOfFirst = pack!.modules[0]!.points[0]!.span;
    expect(spanOfFirst.file).toMatch(/modules\/stakes\.yaml$/);
    expect(spanOfFirst.line).toBeGreaterThan(1);
  });

  for (const name of readdirSync(PACKS).sort()) {
    it(`diagnoses \`${name}\``, () => {
      const dir = join(PACKS, name);
      const { pack, diagnostics } = loadPack(dir, { audiences: AUDIENCES, display: (p) => relative(dir, p) || '.' });
      golden(join(dir, 'expected.txt'), shortDiagnostics(diagnostics));
      // Packs that load cleanly but cannot fit (fit-*) fail later, at layout.
      if (name === 'valid' || name.startsWith('fit-')) expect(diagnostics).toEqual([]);
      else {
        expect(diagnostics.length).toBeGreaterThan(0);
        expect(diagnostics.some((d) => d.severity === 'error') || pack === null).toBe(true);
        for (const d of diagnostics) expect(d.span?.line, d.message).toBeGreaterThan(0);
      }
    });
  }
});
