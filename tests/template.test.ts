// template: Handlebars with Markdown escaping and strict variables; errors point at template lines.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../src/index.js';
import { loadTemplates } from '../src/load/load-templates.js';
import { planDeck } from '../src/plan/plan-deck.js';
import { prepare } from '../src/prepare.js';
import { renderTemplate } from '../src/template/render-template.js';
import { PACK, tempDir } from './helpers.js';

const deckWith = async (files: Record<string, string>, slides = 5) => {
  const dir = tempDir('briefing-tpl-');
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  return {
    dir,
    outcome: await buildDeck({
      content: PACK,
      template: dir,
      lang: 'en',
      audience: 'policymaker',
      slides,
      display: (p) => p.replace(`${dir}/`, ''),
    }),
  };
};

describe('renderTemplate', () => {
  it('escapes content for Markdown, so `*`, `#` and `---` stay text', () => {
    const { prepared } = prepare({ content: PACK, lang: 'en', audience: 'policymaker' });
    const p = prepared!;
    const { plan } = planDeck({
      pack: p.pack,
      audience: p.audience,
      slides: 5,
      strings: p.templates.strings,
      marking: null,
      date: p.date,
    });
    const hostile = {
      ...plan!,
      meta: { ...plan!.meta, title: '*Bold* # not --- a <!-- comment -->' },
      slides: plan!.slides.map((s, i) => (i === 0 ? { ...s, title: '*Bold* # not --- a <!-- comment -->' } : s)),
    };
    const { markdown } = renderTemplate(p.templates, hostile);
    expect(markdown).toContain('\\*Bold\\* # not --- a \\<!-- comment --\\>');
  });

  it('reports an unknown variable at its template line', async () => {
    const { outcome } = await deckWith(
      { 'partials/slide-agenda.hbs': '<!-- layout: agenda -->\n\n## {{title}}\n\n{{nosuchthing}}\n' },
      12,
    );
    expect(outcome.ok).toBe(false);
    const d = outcome.diagnostics.find((x) => x.code === 'template-unknown-variable')!;
    expect(d.message).toContain('`nosuchthing`');
    expect(d.span).toMatchObject({ file: 'partials/slide-agenda.hbs', line: 5 });
  });

  it('reports a syntax error at its template line', async () => {
    const { outcome } = await deckWith({ 'partials/slide-sources.hbs': '## {{title}\n' });
    const d = outcome.diagnostics.find((x) => x.code === 'template-syntax')!;
    expect(d.span).toMatchObject({ file: 'partials/slide-sources.hbs', line: 1 });
  });

  it('reports an unknown partial', async () => {
    const { outcome } = await deckWith({ 'deck.hbs': '{{#each slides}}{{> nope}}{{/each}}' });
    expect(outcome.diagnostics.map((d) => d.code)).toContain('template-unknown-partial');
  });

  it('refuses a template that emits a different number of slides than planned', async () => {
    const { outcome } = await deckWith({ 'deck.hbs': '<!-- layout: bullets -->\n\n## Only one slide\n' });
    const d = outcome.diagnostics.find((x) => x.code === 'template-slide-count')!;
    expect(d.message).toBe('the deck template made 1 slide, but 5 were planned');
    expect(d.span?.file).toBe('deck.hbs');
  });

  it('layers a user folder over the built-in one, file by file', async () => {
    const { dir, outcome } = await deckWith({
      'partials/slide-title.hbs': '<!-- layout: title -->\n\n# {{title}}\n\n## Custom subtitle\n',
    });
    expect(outcome.ok).toBe(true);
    const { templates } = loadTemplates({ userDir: dir, audience: 'policymaker', lang: 'en' });
    expect(templates!.partials['slide-title']!.source).toContain('Custom subtitle');
    expect(templates!.partials['slide-bullets']!.file).toMatch(/templates\/partials\/slide-bullets\.hbs$/);
  });
});
