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
    expect(pack!.modules.map((m) => m.id)).toEqual([
      'stakes',
      'innovation',
      'national-security',
      'economy',
      'global-infrastructure',
      'catastrophic-risk',
      'strategy',
    ]);
    const spanOfFirst = pack!.modules[0]!.points[0]!.span;
    expect(spanOfFirst.file).toMatch(/modules\/stakes\.yaml$/);
    expect(spanOfFirst.line).toBeGreaterThan(1);
  });

  for (const name of readdirSync(PACKS).sort()) {
    it(`diagnoses \`${name}\``, () => {
      const dir = join(PACKS, name);
      const { pack, diagnostics } = loadPack(dir, { audiences: AUDIENCES, display: (p) => relative(dir, p) || '.' });
      golden(join(dir, 'expected.txt'), shortDiagnostics(diagnostics));
      // Valid packs (valid, valid-*) load cleanly; packs that cannot fit (fit-*) fail later, at layout.
      if (name.startsWith('valid') || name.startsWith('fit-')) expect(diagnostics).toEqual([]);
      else {
        expect(diagnostics.length).toBeGreaterThan(0);
        expect(diagnostics.some((d) => d.severity === 'error') || pack === null).toBe(true);
        for (const d of diagnostics) expect(d.span?.line, d.message).toBeGreaterThan(0);
      }
    });
  }
});

describe('hostile YAML', () => {
  it('refuses a very large file by its size, before parsing it', async () => {
    const { cpSync, writeFileSync } = await import('node:fs');
    const { tempDir } = await import('./helpers.js');
    const dir = tempDir('briefing-large-');
    cpSync(join(PACKS, 'valid'), dir, { recursive: true });
    writeFileSync(join(dir, 'modules', 'beta.yaml'), `id: beta\nx-padding: "${'x'.repeat(3 * 1024 * 1024)}"\n`);
    const { diagnostics } = loadPack(dir, { display: (p) => relative(dir, p) });
    // Refused by its size alone: the file is never read into the parser.
    expect(diagnostics.map((d) => `${d.span?.file} ${d.code}`)).toEqual(['modules/beta.yaml file-too-large']);
  });

  it('says a second document is one too many, and prints no warning of the library for a list used as a key', async () => {
    const { parseYamlText } = await import('../src/load/read-yaml.js');
    const two = parseYamlText('id: a\n---\nid: b\n', 'two.yaml');
    expect(two.diagnostics.map((d) => `${d.span?.line}:${d.span?.col} ${d.message}`)).toEqual([
      '2:1 YAML: a second document starts here, and a file holds one',
    ]);
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    const r = parseYamlText('? [a, b]\n: 1\n', 'key.yaml');
    r.file?.value;
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.off('warning', listen);
    expect(warnings).toEqual([]);
  });

  it('refuses 100,000 nested brackets without exhausting memory', async () => {
    const { parseYamlText } = await import('../src/load/read-yaml.js');
    const r = parseYamlText(`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, 'deep.yaml');
    expect(r.file).toBeNull();
    expect(r.diagnostics[0]!.code).toBe('yaml-too-deep');
  });
});
