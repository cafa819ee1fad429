// `briefing build`: the matrix, shards, failures that do not stop the others.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandMatrix, fillPattern, shardOf } from '../src/batch/build-config.js';
import { FIXTURES, PACK, ROOT, runCli, tempDir } from './helpers.js';

const context = (cwd: string) => ({
  baseDir: ROOT,
  cwd,
  defaultPack: PACK,
  audiences: () => ['policymaker', 'security', 'industry', 'partners', 'public'],
  languages: () => ['en', 'zh-Hant', 'zh-Hans'] as ('en' | 'zh-Hant' | 'zh-Hans')[],
});

describe('build matrix', () => {
  it('expands packs × audiences × languages × formats × lengths, with overrides and a name pattern', () => {
    const { entries } = expandMatrix(
      {
        decks: [5, 10],
        memos: [1],
        languages: ['en', 'zh-Hant'],
        output: 'out/{audience}/{lang}-{format}-{length}{unit}.{ext}',
        overrides: [
          { match: { audience: 'security' }, marking: 'SECRET' },
          { match: { audience: 'public', format: 'memo' }, skip: true },
        ],
        entries: [{ audience: 'policymaker', lang: 'zh-Hans', format: 'memo', length: 3, output: 'special.pdf' }],
      },
      context('/tmp/x'),
    );
    expect(entries).toHaveLength(5 * 2 * 3 - 2 + 1);
    expect(entries.find((e) => e.output === '/tmp/x/out/security/en-deck-10slides.pptx')?.marking).toBe('SECRET');
    expect(entries.some((e) => e.audience === 'public' && e.format === 'memo')).toBe(false);
    expect(entries.find((e) => e.output === '/tmp/x/special.pdf')).toMatchObject({ lang: 'zh-Hans', length: 3 });
    expect(
      fillPattern('{pack}-{length}{unit}.{ext}', { pack: 'p', audience: 'a', lang: 'en', length: 2, format: 'memo' }),
    ).toBe('p-2pages.pdf');
  });

  it('splits into disjoint shards that together are the whole matrix', () => {
    const { entries } = expandMatrix({ decks: [5, 10, 20], memos: [1, 2] }, context('/tmp/y'));
    for (const n of [1, 2, 3, 7]) {
      const shards = Array.from({ length: n }, (_, i) => shardOf(entries, i + 1, n).map((e) => e.output));
      const all = shards.flat();
      expect(new Set(all).size).toBe(all.length); // disjoint
      expect(all.sort()).toEqual(entries.map((e) => e.output).sort()); // complete
      // Deterministic: the same shard twice is the same list.
      expect(shardOf(entries, 1, n)).toEqual(
        shardOf(expandMatrix({ decks: [5, 10, 20], memos: [1, 2] }, context('/tmp/y')).entries, 1, n),
      );
    }
  });

  it('refuses two entries with the same output name', () => {
    const { diagnostics } = expandMatrix({ output: 'out/same.pptx', memos: [] }, context('/tmp/z'));
    expect(diagnostics[0]!.code).toBe('duplicate-output');
  });
});

describe('briefing build', () => {
  it('builds a matrix, still builds the rest when one entry fails, lists the failure and exits 1', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'briefing.config.yaml'),
      [
        `packs: [${PACK}, ${join(FIXTURES, 'packs', 'unknown-source')}]`,
        'audiences: [policymaker, industry]',
        'languages: [en]',
        'decks: [4]',
        'memos: [1]',
        'output: "built/{pack}/{audience}-{format}.{ext}"',
      ].join('\n'),
    );
    const r = runCli(['build', '--json'], cwd);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ ok: false, built: 4, failed: 4 });
    for (const e of summary.entries) expect(existsSync(join(cwd, e.output))).toBe(e.ok);
    const failed = summary.entries.filter((e: { ok: boolean }) => !e.ok);
    expect(failed.every((e: { output: string }) => e.output.includes('unknown-source'))).toBe(true);
    expect(failed[0].diagnostics[0].code).toBe('unknown-source');
  });

  it('prints plain progress lines and a summary table when not on a terminal', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'b.yaml'),
      `packs: [${PACK}]\naudiences: [public]\nlanguages: [en, zh-Hans]\ndecks: [5]\nmemos: []\n`,
    );
    const r = runCli(['build', '--config', 'b.yaml', '--shard', '1/1'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[1\/2\] ok {5}out\/real-ai-race-public-en-5slides\.pptx {2}5 slides/m);
    expect(r.stdout).toMatch(/^file +length +size +time +status$/m);
    expect(r.stdout).toMatch(/^2 of 2 built in [\d.]+ s, peak memory \d+ MB$/m);
  });

  it('rejects a bad shard and a bad config with a clear error', () => {
    const cwd = tempDir();
    expect(runCli(['build', '--shard', '3/2'], cwd).code).toBe(2);
    mkdirSync(join(cwd, 'c'));
    writeFileSync(join(cwd, 'c', 'x.yaml'), 'decks: [ten]\nlanguages: [fr]\n');
    const r = runCli(['build', '--config', 'c/x.yaml'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/c\/x\.yaml:1:9: error/);
    expect(r.stderr).toMatch(/c\/x\.yaml:2:13: error.*languages are en, zh-Hant and zh-Hans/);
  });

  it('builds the same bytes with worker threads as without', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'b.yaml'),
      `packs: [${PACK}]\naudiences: [security]\nlanguages: [en, zh-Hant]\ndecks: [5]\nmemos: [1]\noutput: "{jobs}/{lang}-{format}.{ext}"\n`.replace(
        '{jobs}',
        'one',
      ),
    );
    expect(runCli(['build', '--config', 'b.yaml', '-q'], cwd).code).toBe(0);
    writeFileSync(join(cwd, 'b.yaml'), readFileSync(join(cwd, 'b.yaml'), 'utf8').replace('"one/', '"two/'));
    expect(runCli(['build', '--config', 'b.yaml', '-q', '--jobs', '2'], cwd).code).toBe(0);
    for (const f of ['en-deck.pptx', 'en-memo.pdf', 'zh-Hant-deck.pptx', 'zh-Hant-memo.pdf']) {
      expect(readFileSync(join(cwd, 'two', f)).equals(readFileSync(join(cwd, 'one', f))), f).toBe(true);
    }
  });

  it('runs the build command of the example CI workflow (docs/examples/github-actions-build.yml)', () => {
    const workflow = readFileSync(join(ROOT, 'docs', 'examples', 'github-actions-build.yml'), 'utf8');
    const line = /run: npx briefing (build [^>\n]*?)\s*>/.exec(workflow)?.[1];
    expect(line).toBeDefined();
    const args = line!.replace(/\$\{\{ matrix\.shard \}\}/, '3').split(/\s+/);
    const cwd = tempDir();
    const r = runCli(args, cwd);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      ok: boolean;
      shard: string;
      built: number;
      entries: { output: string }[];
    };
    expect(summary).toMatchObject({ ok: true, shard: '3/4' });
    // A quarter of the 30-file built-in matrix, every file where the summary says.
    expect(summary.built).toBeGreaterThanOrEqual(7);
    expect(summary.built).toBeLessThanOrEqual(8);
    for (const e of summary.entries) expect(existsSync(join(cwd, e.output)), e.output).toBe(true);
  });

  it('builds the same bytes in a batch as one file at a time', () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'b.yaml'),
      `packs: [${PACK}]\naudiences: [partners, public]\nlanguages: [zh-Hans]\ndecks: [6]\nmemos: [1]\noutput: "batch/{audience}-{format}.{ext}"\n`,
    );
    expect(runCli(['build', '--config', 'b.yaml', '-q'], cwd).code).toBe(0);
    for (const audience of ['partners', 'public']) {
      expect(
        runCli(
          ['deck', '--slides', '6', '--lang', 'zh-Hans', '-a', audience, '-q', '-o', `one/${audience}-deck.pptx`],
          cwd,
        ).code,
      ).toBe(0);
      expect(
        runCli(['memo', '--lang', 'zh-Hans', '-a', audience, '-q', '-o', `one/${audience}-memo.pdf`], cwd).code,
      ).toBe(0);
      for (const f of [`${audience}-deck.pptx`, `${audience}-memo.pdf`])
        expect(readFileSync(join(cwd, 'one', f)).equals(readFileSync(join(cwd, 'batch', f))), f).toBe(true);
    }
  });
});
