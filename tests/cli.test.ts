// The CLI, run as a user runs it: help, outputs, exit codes, diagnostics, atomic writes.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readPdf, readPptx, runCli, tempDir } from './helpers.js';

describe('briefing CLI', () => {
  it('prints help for every command', () => {
    const top = runCli(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['deck', 'memo', 'check', 'list', 'init', 'preview']) expect(top.stdout).toContain(cmd);
    for (const cmd of ['deck', 'memo', 'check', 'list', 'init']) {
      const r = runCli([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toMatch(/Usage: briefing/);
    }
    expect(runCli(['deck', '--help']).stdout).toContain('--slides');
    expect(runCli(['memo', '--help']).stdout).toContain('--pages');
  });

  it('writes a 10-slide deck by default, with one line per file', () => {
    const r = runCli(['deck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^out\/real-ai-race-policymaker-en-10slides\.pptx {2}10 slides {2}[\d.]+ KB {2}[\d.]+ s\n$/,
    );
    const bytes = readFileSync(join(r.cwd, 'out', 'real-ai-race-policymaker-en-10slides.pptx'));
    expect(readPptx(bytes).slides).toHaveLength(10);
  });

  it('writes a memo of the requested pages, and the stage outputs with --emit', async () => {
    const r = runCli(['memo', '--pages', '2', '-o', 'memo.pdf', '--emit', 'markdown', 'layout']);
    expect(r.code).toBe(0);
    expect((await readPdf(readFileSync(join(r.cwd, 'memo.pdf')))).pages).toBe(2);
    expect(readFileSync(join(r.cwd, 'memo.briefing.md'), 'utf8')).toContain('<!-- region: header -->');
    expect(JSON.parse(readFileSync(join(r.cwd, 'memo.layout.json'), 'utf8')).pages).toHaveLength(2);
  });

  it('prints a machine-readable summary with --json', () => {
    const r = runCli(['deck', '--slides', '5', '--json', '-o', 'd.pptx']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ ok: true, format: 'pptx', length: 5 });
    expect(j.fit).toHaveLength(5);
    expect(j.dropped.length).toBeGreaterThan(0);
  });

  it('reports every text box of a 10-slide deck: size, lines used and available, slack; and what was left out and why', () => {
    const r = runCli(['deck', '--json', '-o', 'd.pptx', '--emit', 'layout']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const layout = JSON.parse(readFileSync(join(r.cwd, 'd.layout.json'), 'utf8')) as {
      slides: { shapes: { type: string; name: string; fit?: unknown }[] }[];
    };
    expect(j.fit).toHaveLength(10);
    for (const [i, slide] of layout.slides.entries()) {
      const boxes = slide.shapes.filter((s) => s.type === 'text');
      // The report has one entry per text box on the slide, in order, the same as the layout's.
      expect(j.fit[i].map((b: { box: string }) => b.box)).toEqual(boxes.map((b) => b.name));
      for (const b of j.fit[i]) {
        expect(b.size).toBeGreaterThanOrEqual(b.minSize);
        expect(b.size).toBeLessThanOrEqual(b.maxSize);
        expect(b.linesUsed).toBeLessThanOrEqual(b.linesAvailable);
        expect(b.slack).toBeGreaterThanOrEqual(0);
        expect(b.overflow).toBe(false);
      }
    }
    for (const d of j.dropped) {
      expect(d).toMatchObject({
        ref: expect.any(String),
        kind: expect.any(String),
        priority: expect.any(Number),
        reason: expect.any(String),
        text: expect.any(String),
      });
    }
  });

  it("reports every block of a one-page memo, and each page's free space", () => {
    const r = runCli(['memo', '--lang', 'zh-Hant', '--json', '-o', 'm.pdf']);
    expect(r.code, r.stderr).toBe(0);
    const { fit } = JSON.parse(r.stdout);
    expect(fit.pages).toBe(1);
    expect(fit.pageFits).toHaveLength(1);
    expect(fit.pageFits[0].used + fit.pageFits[0].slack).toBeCloseTo(fit.pageFits[0].available, 1);
    const names = fit.boxes.map((b: { box: string }) => b.box);
    expect(names.slice(0, 2)).toEqual(['kicker', 'title']);
    expect(names).toContain('bottom line');
    expect(names.some((n: string) => n.startsWith('heading “'))).toBe(true);
    expect(names.some((n: string) => n.startsWith('item 1 under “'))).toBe(true);
    for (const b of fit.boxes) {
      expect(b.page).toBe(1);
      expect(b.linesUsed).toBeGreaterThan(0);
      expect(b.size).toBeGreaterThan(5);
    }
  });

  it('fails with --strict, writing nothing, when anything had to be left out', () => {
    const pack = join(FIXTURES, 'packs', 'valid');
    const roomy = runCli(['deck', '-c', pack, '--slides', '5', '--strict', '-o', 'roomy.pptx']);
    expect(roomy.code, roomy.stderr).toBe(0);
    const cwd = roomy.cwd;
    const forced = runCli(['deck', '-c', pack, '--slides', '3', '--strict', '-o', 'forced.pptx'], cwd);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/error: \d+ items? left out with --strict; nothing written/);
    expect(existsSync(join(cwd, 'forced.pptx'))).toBe(false);
    // Without --strict the same build succeeds and says what it left out.
    const loose = runCli(['deck', '-c', pack, '--slides', '3', '-o', 'forced.pptx'], cwd);
    expect(loose.code).toBe(0);
    expect(loose.stderr).toMatch(/left out, lowest priority first/);
  });

  it('exits 2 on usage errors and lists the valid choices', () => {
    const few = runCli(['deck', '--slides', '2']);
    expect(few.code).toBe(2);
    expect(few.stderr).toContain('at least 3 slides');
    const lang = runCli(['deck', '--lang', 'fr']);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('en, zh-Hant, zh-Hans');
    const aud = runCli(['memo', '--audience', 'ministers']);
    expect(aud.code).toBe(2);
    expect(aud.stderr).toContain('policymaker');
    expect(runCli(['deck', '--bogus']).code).toBe(2);
    expect(runCli(['frobnicate']).code).toBe(2);
    expect(runCli(['deck', '--slides', 'ten']).code).toBe(2);
  });

  it('refuses a preview it cannot serve before listening: a bad port, language or audience is a usage error', () => {
    for (const [args, said] of [
      [['--port', 'http'], '--port takes a whole number'],
      [['--port', '70000'], '--port must be at most 65535'],
      [['--lang', 'fr'], 'en, zh-Hant, zh-Hans'],
      [['--audience', 'ministers'], 'policymaker'],
      [['--template', 'nowhere'], 'does not exist'],
      [['--content', 'no-such-pack'], 'does not exist'],
    ] as const) {
      const r = runCli(['preview', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(said);
      expect(r.stdout).not.toContain('http://');
    }
  });

  it('exits 1 with file:line:col diagnostics on bad content, and writes nothing', () => {
    const r = runCli(['deck', '--content', join(FIXTURES, 'packs', 'unknown-source'), '-o', 'x.pptx']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /modules\/beta\.yaml:5:5: error\[unknown-source\]: unknown source `reprot`\n {2}hint: did you mean `report`\?/,
    );
    expect(existsSync(join(r.cwd, 'x.pptx'))).toBe(false);
  });

  it('leaves an existing file untouched when a run fails, and refuses to overwrite a folder', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'keep.pptx'), 'old');
    const r = runCli(['deck', '--content', join(FIXTURES, 'packs', 'wrong-type'), '-o', 'keep.pptx'], cwd);
    expect(r.code).toBe(1);
    expect(readFileSync(join(cwd, 'keep.pptx'), 'utf8')).toBe('old');
    mkdirSync(join(cwd, 'folder.pptx'));
    const d = runCli(['deck', '-o', 'folder.pptx'], cwd);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('is a folder, not a file');
    expect(statSync(join(cwd, 'folder.pptx')).isDirectory()).toBe(true);
  });

  it('checks a pack and reports every problem at once', () => {
    expect(runCli(['check']).stdout).toMatch(/^ok: pack `real-ai-race`: 7 modules/);
    const r = runCli(['check', '--content', join(FIXTURES, 'packs', 'missing-translation')]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/error\[missing-translation\]/g)?.length).toBeGreaterThan(10);
  });

  it('takes language tags in any common form', () => {
    const r = runCli(['deck', '--lang', 'ZH-tw', '--slides', '4']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^out\/real-ai-race-policymaker-zh-Hant-4slides\.pptx/);
    const m = runCli(['memo', '--lang', 'zh-CN']);
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/^out\/real-ai-race-policymaker-zh-Hans-1page\.pdf/);
  });

  it('lists audiences, languages and modules', () => {
    expect(runCli(['list', 'audiences']).stdout.split('\n').filter(Boolean)).toHaveLength(5);
    const langs = runCli(['list', 'languages']).stdout;
    expect(langs).toMatch(/en +authored/);
    expect(langs).toMatch(/zh-Hant +authored/);
    expect(langs).toMatch(/zh-Hans +derived from zh-Hant/);
    expect(runCli(['list', 'modules']).stdout).toContain('global-infrastructure');
    expect(runCli(['list', 'colours']).code).toBe(2);
  });

  it('starts a template folder with init: a commented theme.yaml and one example, all the rest built in', () => {
    const cwd = tempDir();
    const r = runCli(['init', 'brand'], cwd);
    expect(r.code).toBe(0);
    expect(readdirSync(join(cwd, 'brand'), { recursive: true }).map(String).sort()).toEqual([
      'strings',
      'strings/en.yaml',
      'theme.yaml',
    ]);
    const theme = readFileSync(join(cwd, 'brand', 'theme.yaml'), 'utf8');
    expect(theme).toContain('accent: "0E7C7B"');
    writeFileSync(join(cwd, 'brand', 'theme.yaml'), theme.replace('accent: "0E7C7B"', 'accent: "#8D1B3D"'));
    expect(runCli(['check', '--strict', '--template', 'brand'], cwd).code).toBe(0);
    expect(runCli(['deck', '--template', 'brand', '--slides', '4', '-o', 'b.pptx'], cwd).code).toBe(0);
    expect(readPptx(readFileSync(join(cwd, 'b.pptx'))).files['ppt/theme/theme1.xml']).toContain('val="8D1B3D"');
  });

  it('copies every built-in template with init --full', () => {
    const cwd = tempDir();
    const r = runCli(['init', 'mine', '--full'], cwd);
    expect(r.code).toBe(0);
    for (const f of [
      'deck.hbs',
      'memo.hbs',
      'theme.yaml',
      'strings/en.yaml',
      'audiences/policymaker.yaml',
      'partials/slide-bullets.hbs',
    ])
      expect(existsSync(join(cwd, 'mine', f)), f).toBe(true);
    expect(runCli(['init', 'mine'], cwd).code).toBe(2);
    expect(runCli(['deck', '--template', 'mine', '--slides', '4', '-o', 'a.pptx'], cwd).code).toBe(0);
  });
});

describe('every malformed pack', async () => {
  const { readdirSync } = await import('node:fs');
  const packs = readdirSync(join(FIXTURES, 'packs'))
    .filter((n) => !n.startsWith('valid'))
    .sort();
  it('has at least 25 of them', () => expect(packs.length).toBeGreaterThanOrEqual(25));
  for (const name of packs) {
    it(`\`${name}\`: exit 1, the file and line of the problem, and no output`, () => {
      const dir = join(FIXTURES, 'packs', name);
      const golden = readFileSync(join(dir, 'expected.txt'), 'utf8')
        .split('\n')
        .find((l) => / error\[/.test(l));
      for (const cmd of name.startsWith('fit-')
        ? [['memo', '-o', 'out.pdf']]
        : [['deck', '--slides', '5', '-o', 'out.pptx']]) {
        const r = runCli([...cmd, '--content', dir]);
        expect(r.code, r.stderr).toBe(1);
        if (golden) expect(r.stderr).toContain(golden.split(' ')[0]!);
        else expect(r.stderr).toMatch(/\.yaml:\d+:\d+: error\[fit-/);
        expect(readdirSync(r.cwd)).toEqual([]);
      }
    });
  }
});
