// load: a content-pack folder → ContentPack (every value with its file, line and column).
// Validates the whole pack and reports every problem at once. Side effects: reads files.
import { lstatSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isLang } from '../localize/lang.js';
import type {
  Author,
  Chart,
  ContentPack,
  Fact,
  GlossaryEntry,
  Localized,
  Module,
  Point,
  Quote,
  Recommendation,
  Source,
} from '../model/content.js';
import { type Diagnostic, error, warning } from '../model/diagnostic.js';
import { LANG_TAGS, LANGS, type Lang } from '../model/lang.js';
import type { Span } from '../model/span.js';
import { printable } from '../printable.js';
import { isQuantity } from '../quantity.js';
import { LIMITS, listConfined, present, realFolder } from './confined.js';
import { KNOWN_KEYS, moduleSchema, packSchema, type RawModule, type RawText } from './content-schema.js';
import { type Path, readYamlFile, type YamlFile } from './read-yaml.js';
import { closest, validateYaml } from './validate.js';

export interface LoadPackOptions {
  /** Audience ids that exist (built-in and user templates); others are reported. */
  audiences?: readonly string[];
  /** How paths are shown in diagnostics; default relative to the working directory. */
  display?: (absolutePath: string) => string;
}

export function loadPack(
  dir: string,
  options: LoadPackOptions = {},
): { pack: ContentPack | null; diagnostics: Diagnostic[] } {
  const display = options.display ?? ((p: string) => relative(process.cwd(), p) || '.');
  const diagnostics: Diagnostic[] = [];
  const packPath = join(dir, 'pack.yaml');
  // Every file the pack contributes must be inside its own folder (docs/security.md).
  const root = realFolder(dir);
  if (!root || !present(packPath)) {
    return {
      pack: null,
      diagnostics: [
        error(
          'no-pack',
          `no content pack at \`${display(dir)}\`: \`pack.yaml\` is missing`,
          undefined,
          'point `--content` at a folder holding `pack.yaml` and `modules/`',
        ),
      ],
    };
  }
  const packFile = readYamlFile(packPath, display(packPath), root);
  diagnostics.push(...packFile.diagnostics);
  let raw: ReturnType<typeof packSchema.parse> | null = null;
  if (packFile.file) {
    if (!isMapping(packFile.file.value)) {
      diagnostics.push(
        error(
          'wrong-top-level',
          'expected a map of keys (`id:`, `title:`, …) at the top of `pack.yaml`',
          packFile.file.spanAt([]),
        ),
      );
    } else {
      const checked = validateYaml(packSchema, packFile.file, KNOWN_KEYS);
      diagnostics.push(...checked.diagnostics);
      raw = checked.value;
    }
  }

  // Modules: the listed order, or every file in name order.
  const modulesDir = join(dir, 'modules');
  const listing = listConfined(modulesDir, root);
  if (listing.problem)
    diagnostics.push(
      error(
        listing.problem.code,
        `\`${display(modulesDir)}\` ${listing.problem.message}`,
        undefined,
        listing.problem.hint,
      ),
    );
  const files = listing.names.filter((f) => /\.ya?ml$/.test(f));
  const byId = new Map(files.map((f) => [f.replace(/\.ya?ml$/, ''), f]));
  let order: { id: string; span: Span | null }[];
  if (raw?.modules && packFile.file) {
    const pf = packFile.file;
    order = raw.modules.map((id, i) => ({ id, span: pf.spanAt(['modules', i]) }));
    for (const f of files) {
      const id = f.replace(/\.ya?ml$/, '');
      if (!raw.modules.includes(id)) {
        diagnostics.push(
          warning(
            'module-not-listed',
            `module file \`${f}\` is not listed in \`modules\`, so it is not used`,
            { file: display(join(modulesDir, f)), line: 1, col: 1 },
            `add \`${id}\` to \`modules:\` in pack.yaml, or remove the file`,
          ),
        );
      }
    }
  } else {
    order = [...byId.keys()].map((id) => ({ id, span: null }));
  }
  if (order.length === 0 && raw) {
    diagnostics.push(
      error(
        'no-modules',
        'the pack has no modules',
        packFile.file?.spanAt([]),
        `add topic files under \`${display(modulesDir)}/\``,
      ),
    );
  }

  const modules: Module[] = [];
  const inputs: string[] = packFile.file ? [packFile.file.real] : [];
  let total = packFile.bytes;
  // The pack's size, from the file system, before any module is parsed: parsing 8 MiB of YAML
  // takes seconds, and a pack beyond the limit is refused anyway.
  let listed = total;
  for (const { id } of order) {
    const name = byId.get(id);
    if (!name) continue;
    const path = join(modulesDir, name);
    try {
      listed += lstatSync(path).size;
    } catch {
      continue;
    }
    if (listed > LIMITS.pack) {
      diagnostics.push(
        error(
          'pack-too-large',
          `the pack's files hold more than ${LIMITS.pack / 1024 / 1024} MiB`,
          { file: display(path), line: 1, col: 1 },
          'a pack is hand-written research: split it into several packs',
        ),
      );
      return { pack: null, diagnostics };
    }
  }
  const seenModules = new Map<string, Span | null>();
  for (const { id, span } of order) {
    if (seenModules.has(id)) {
      diagnostics.push(
        error('duplicate-id', `module \`${id}\` is listed twice`, span ?? undefined, 'list each module once'),
      );
      continue;
    }
    seenModules.set(id, span);
    const name = byId.get(id);
    if (!name) {
      const suggestion = closest(id, [...byId.keys()]);
      diagnostics.push(
        error(
          'missing-module',
          `module \`${id}\` is listed but \`modules/${id}.yaml\` does not exist`,
          span ?? undefined,
          suggestion
            ? `did you mean \`${suggestion}\`?`
            : `create \`${display(join(modulesDir, `${id}.yaml`))}\` or remove \`${id}\` from the list`,
        ),
      );
      continue;
    }
    const path = join(modulesDir, name);
    const mf = readYamlFile(path, display(path), root);
    diagnostics.push(...mf.diagnostics);
    if (!mf.file) continue;
    inputs.push(mf.file.real);
    total += mf.bytes;
    if (total > LIMITS.pack) {
      diagnostics.push(
        error(
          'pack-too-large',
          `the pack's files hold more than ${LIMITS.pack / 1024 / 1024} MiB`,
          { file: display(path), line: 1, col: 1 },
          'a pack is hand-written research: split it into several packs',
        ),
      );
      break;
    }
    if (!isMapping(mf.file.value)) {
      diagnostics.push(
        error(
          'wrong-top-level',
          'expected a map of keys (`id:`, `title:`, `points:`, …) at the top of a module file',
          mf.file.spanAt([]),
        ),
      );
      continue;
    }
    const checked = validateYaml(moduleSchema, mf.file, KNOWN_KEYS);
    diagnostics.push(...checked.diagnostics);
    if (!checked.value) continue;
    if (checked.value.id !== id) {
      diagnostics.push(
        error(
          'module-id-mismatch',
          `module id \`${checked.value.id}\` does not match its file name \`${name}\``,
          mf.file.spanAt(['id']),
          `rename the file to \`${checked.value.id}.yaml\` or set \`id: ${id}\``,
        ),
      );
    }
    modules.push(buildModule(checked.value, mf.file, id));
  }

  if (!raw || !packFile.file) return { pack: null, diagnostics };
  const pf = packFile.file;
  const languages = raw.languages;
  raw.languages.forEach((lang, i) => {
    if (!(LANGS as readonly string[]).includes(lang)) {
      diagnostics.push(
        error(
          'unknown-language',
          `unknown language \`${lang}\``,
          pf.spanAt(['languages', i]),
          `languages are ${LANGS.map((l) => `\`${l}\``).join(', ')}`,
        ),
      );
    }
  });
  const sources: Source[] = raw.sources.map((s, i) => ({
    id: s.id,
    title: localized(s.title, pf, ['sources', i, 'title']),
    short: s.short ? localized(s.short, pf, ['sources', i, 'short']) : null,
    authors: (s.authors ?? []).map(toAuthor),
    publisher: s.publisher ? localized(s.publisher, pf, ['sources', i, 'publisher']) : null,
    year: s.year ?? null,
    date: s.date ?? null,
    url: s.url ?? null,
    via: s.via ?? null,
    span: pf.spanAt(['sources', i]),
  }));
  const glossary: GlossaryEntry[] = (raw.glossary ?? []).map((entry, i) => {
    const { definition, ...terms } = entry;
    return {
      terms: terms as Record<string, string>,
      definition: definition ? localized(definition, pf, ['glossary', i, 'definition']) : null,
      span: pf.spanAt(['glossary', i]),
    };
  });
  // Each locale names a language the tool knows, in a tag of that language (`en-GB`, not `fr-FR`).
  const locales: Partial<Record<Lang, string>> = {};
  for (const [lang, tag] of Object.entries(raw.locales ?? {})) {
    const at = pf.spanAt(['locales', lang]);
    if (!isLang(lang))
      diagnostics.push(
        error(
          'unknown-language',
          `unknown language \`${lang}\` in \`locales\``,
          at,
          `languages are ${LANGS.map((l) => `\`${l}\``).join(', ')}`,
        ),
      );
    else if (tag.split('-')[0]!.toLowerCase() !== lang.split('-')[0])
      diagnostics.push(
        error(
          'invalid-value',
          `\`${tag}\` is not a tag for \`${lang}\``,
          at,
          `use a tag that starts with \`${lang.split('-')[0]}-\`, such as \`${LANG_TAGS[lang]}\``,
        ),
      );
    else {
      // Written into every file as the canonical form (`EN-gb` → `en-GB`); a tag Intl does not accept is an error.
      let canonical: string | undefined;
      try {
        canonical = Intl.getCanonicalLocales(tag)[0];
      } catch {
        canonical = undefined;
      }
      if (canonical) locales[lang] = canonical;
      else
        diagnostics.push(
          error(
            'invalid-value',
            `\`${tag}\` is not a well-formed language tag`,
            at,
            `write a tag such as \`${LANG_TAGS[lang]}\``,
          ),
        );
    }
  }
  const pack: ContentPack = {
    id: raw.id,
    dir,
    file: pf.file,
    languages,
    locales,
    title: localized(raw.title, pf, ['title']),
    subtitle: raw.subtitle ? localized(raw.subtitle, pf, ['subtitle']) : null,
    date: raw.date,
    author: raw.author ? localized(raw.author, pf, ['author']) : null,
    government: raw.government ? localized(raw.government, pf, ['government']) : null,
    bluf: localized(raw.bluf, pf, ['bluf']),
    perAudience: Object.fromEntries(
      Object.entries(raw.perAudience ?? {}).map(([id, v]) => [
        id,
        {
          bluf: v.bluf ? localized(v.bluf, pf, ['perAudience', id, 'bluf']) : null,
          subtitle: v.subtitle ? localized(v.subtitle, pf, ['perAudience', id, 'subtitle']) : null,
          span: pf.spanAt(['perAudience', id]),
        },
      ]),
    ),
    sources,
    glossary,
    modules,
    span: pf.spanAt([]),
    inputs,
  };
  diagnostics.push(...checkPack(pack, options.audiences));
  return { pack, diagnostics };
}

/**
 * Items (points, facts, quotes and recommendations) in a whole pack: the built-in one has about
 * 150; every output plans, ranks and fits them all.
 */
export const MAX_ITEMS = 20_000;

/** Cross-file checks: ids, references, audiences, translations. */
function checkPack(pack: ContentPack, audiences: readonly string[] | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  let items = 0;
  for (const m of pack.modules) {
    items += m.points.length + m.facts.length + m.quotes.length + m.recommendations.length;
    if (items > MAX_ITEMS) {
      out.push(
        error(
          'pack-too-large',
          `the pack has more than ${MAX_ITEMS.toLocaleString('en')} points, facts, quotes and recommendations (this module brings it there)`,
          m.span,
          'split the research into packs of one briefing each: a briefing draws on a few dozen items',
        ),
      );
      return out;
    }
  }
  const sourceIds = new Set<string>();
  for (const s of pack.sources) {
    if (sourceIds.has(s.id))
      out.push(error('duplicate-id', `source id \`${s.id}\` is used twice`, s.span, 'give every source its own id'));
    sourceIds.add(s.id);
  }
  const checkSource = (ref: string | null, span: Span) => {
    if (ref && !sourceIds.has(ref)) {
      const suggestion = closest(ref, [...sourceIds]);
      out.push(
        error(
          'unknown-source',
          `unknown source \`${ref}\``,
          span,
          suggestion
            ? `did you mean \`${suggestion}\`?`
            : `the sources in pack.yaml are ${[...sourceIds].map((s) => `\`${s}\``).join(', ')}`,
        ),
      );
    }
  };
  // A source's `via` names another source, and following `via` never comes back to where it began.
  const byId = new Map(pack.sources.map((s) => [s.id, s]));
  for (const s of pack.sources) {
    if (!s.via) continue;
    checkSource(s.via, s.span);
    const seen = new Set([s.id]);
    for (let next = byId.get(s.via); next; next = next.via ? byId.get(next.via) : undefined) {
      if (!seen.has(next.id)) {
        seen.add(next.id);
        continue;
      }
      out.push(
        error(
          'source-via-loop',
          `source \`${s.id}\` reaches the pack through itself: ${[...seen, next.id].map((x) => `\`${x}\``).join(' → ')}`,
          s.span,
          '`via` names the summary or translation this source was read in; the last one in the chain has no `via`',
        ),
      );
      break;
    }
  }
  const checkAudiences = (list: readonly string[] | null, span: Span) => {
    if (!audiences || !list) return;
    for (const a of list) {
      if (!audiences.includes(a)) {
        const suggestion = closest(a, audiences);
        out.push(
          error(
            'unknown-audience',
            `unknown audience \`${a}\``,
            span,
            suggestion
              ? `did you mean \`${suggestion}\`?`
              : `audiences are ${audiences.map((x) => `\`${x}\``).join(', ')}`,
          ),
        );
      }
    }
  };
  const langs = pack.languages.filter((l) => (LANGS as readonly string[]).includes(l));
  const checkText = (value: Localized | null, what: string) => {
    if (!value) return;
    for (const [tag, v] of Object.entries(value.byLang)) {
      if (!(LANGS as readonly string[]).includes(tag)) {
        const suggestion = closest(tag, LANGS);
        out.push(
          error(
            'unknown-language',
            `unknown language tag \`${tag}\` in ${what}`,
            v.span,
            suggestion ? `did you mean \`${suggestion}\`?` : `languages are ${LANGS.join(', ')}`,
          ),
        );
      }
    }
    if (value.any !== null) return;
    for (const lang of langs) {
      if (!(lang in value.byLang)) {
        out.push(
          error(
            'missing-translation',
            `${what} has no \`${lang}\` text, but the pack declares \`${lang}\``,
            value.span,
            `add \`${lang}: …\` to this value, or remove \`${lang}\` from \`languages\` in pack.yaml`,
          ),
        );
      }
    }
  };
  checkText(pack.title, 'the title');
  checkText(pack.subtitle, 'the subtitle');
  checkText(pack.author, 'the author line');
  checkText(pack.government, 'the government');
  checkText(pack.bluf, 'the bottom line');
  for (const [id, v] of Object.entries(pack.perAudience)) {
    checkAudiences([id], v.span);
    checkText(v.bluf, `the bottom line for \`${id}\``);
    checkText(v.subtitle, `the subtitle for \`${id}\``);
  }
  for (const g of pack.glossary) {
    checkText(g.definition, `the definition of \`${Object.values(g.terms)[0] ?? '?'}\``);
    for (const tag of Object.keys(g.terms)) {
      if (!(LANGS as readonly string[]).includes(tag))
        out.push(
          error(
            'unknown-language',
            `unknown language tag \`${tag}\` in a glossary entry`,
            g.span,
            `languages are ${LANGS.join(', ')}`,
          ),
        );
    }
  }
  for (const s of pack.sources) {
    if (s.url && !/^(?:https?:|mailto:)/i.test(s.url)) {
      out.push(
        warning(
          'url-scheme',
          `the address of source \`${s.id}\` is not a web or mail address, so it is shown as text, not as a link`,
          s.span,
          'use an `https://` (or `http://`, `mailto:`) address',
        ),
      );
    }
    checkText(s.title, `the title of source \`${s.id}\``);
    checkText(s.publisher, `the publisher of source \`${s.id}\``);
    checkText(s.short, `the short citation of source \`${s.id}\``);
    // A short citation from a name written as one string is a guess at the family name; an
    // organisation written that way ("International Energy Agency (IEA)") guesses wrong.
    const unsure = s.short
      ? []
      : s.authors.filter((a) => a.guessed && (/[()]/.test(a.name) || a.name.split(/\s+/).length > 3));
    if (unsure.length > 0) {
      out.push(
        warning(
          'citation-guess',
          `the short citation of source \`${s.id}\` cannot be formed from the author \`${unsure[0]!.name}\`: it reads like an organisation or a list, not one person's name`,
          s.span,
          'write the author as `{ organisation: …, short: … }` or `{ family: …, given: … }`, or give the source a `short` citation',
        ),
      );
    }
  }
  for (const m of pack.modules) {
    checkText(m.title, 'the module title');
    checkText(m.summary, 'the module summary');
    checkText(m.notes, 'the speaker-notes text');
    if (audiences) {
      for (const a of Object.keys(m.relevance)) checkAudiences([a], m.relevanceSpans[a] ?? m.span);
    }
    m.points.forEach((p, i) => {
      checkText(p.text, `point ${i + 1}`);
      checkSource(p.source, p.span);
      checkAudiences(p.audiences, p.span);
    });
    out.push(...replacementProblems(m.id, m.points, 'point'));
    out.push(...replacementProblems(m.id, m.recommendations, 'recommendation'));
    const factIds = new Set<string>();
    m.facts.forEach((f, i) => {
      if (f.id !== null) {
        if (factIds.has(f.id))
          out.push(
            error(
              'duplicate-id',
              `two facts in module \`${m.id}\` are named \`${f.id}\``,
              f.span,
              'give each fact its own `id`',
            ),
          );
        factIds.add(f.id);
      }
      checkText(f.value, `fact ${i + 1}`);
      // A figure card states a quantity; a bare count or a date is left off the slides.
      const shown = f.value.any ?? Object.values(f.value.byLang)[0]?.text ?? '';
      if (!f.chart && shown && !isQuantity(shown)) {
        out.push(
          warning(
            'fact-not-quantity',
            `fact ${i + 1} (\`${printable(shown, 40)}\`) is not a quantity, so no slide shows it as a figure: a figure is a number with a unit or a share (\`50%\`, \`5 GW\`), not a year, a date or the count of a list`,
            f.value.span,
            'write the quantity the source gives, or make it a point',
          ),
        );
      }
      checkText(f.label, `the label of fact ${i + 1}`);
      if (f.chart) {
        checkText(f.chart.title, `the title of the chart of fact ${i + 1}`);
        checkText(f.chart.unit, `the unit of the chart of fact ${i + 1}`);
        checkText(f.chart.alt, `the alternative text of the chart of fact ${i + 1}`);
        for (const [k, c] of f.chart.categories.entries())
          checkText(c, `category ${k + 1} of the chart of fact ${i + 1}`);
        out.push(...chartProblems(f.chart));
      }
      checkSource(f.source, f.span);
      checkAudiences(f.audiences, f.span);
    });
    m.quotes.forEach((q, i) => {
      checkText(q.text, `quote ${i + 1}`);
      if (q.paraphrased)
        out.push(
          warning(
            'quote-paraphrased',
            `quote ${i + 1} is a paraphrase, so no slide shows it: only the words as spoken go between quotation marks`,
            q.span,
            'write it as a point in reported speech (“Altman said he would be surprised if…”), or quote the words as published',
          ),
        );
      checkText(q.by, `the attribution of quote ${i + 1}`);
      checkSource(q.source, q.span);
      checkAudiences(q.audiences, q.span);
    });
    if (m.judgment) {
      checkText(m.judgment.text, 'the judgment');
      const pointIds = m.points.flatMap((p) => (p.id === null ? [] : [p.id]));
      for (const target of m.judgment.replaces)
        if (!pointIds.includes(target))
          out.push(unknownReplacement('the judgment', target, m.id, 'point', pointIds, m.judgment.span, ''));
      const evidence = m.judgment.evidence;
      if (evidence !== null && !factIds.has(evidence)) {
        const suggestion = closest(evidence, [...factIds]);
        out.push(
          error(
            'unknown-fact',
            `the judgment cites \`${evidence}\` as its evidence, but module \`${m.id}\` has no fact of that \`id\``,
            m.judgment.span,
            suggestion
              ? `did you mean \`${suggestion}\`?`
              : factIds.size > 0
                ? `the facts' ids are ${[...factIds].map((x) => `\`${x}\``).join(', ')}`
                : 'give the fact an `id: …` and name it here',
          ),
        );
      }
    }
    m.recommendations.forEach((r, i) => {
      checkText(r.text, `recommendation ${i + 1}`);
      checkText(r.short, `the short form of recommendation ${i + 1}`);
      checkText(r.owner, `the owner of recommendation ${i + 1}`);
      checkText(r.timing, `the timing of recommendation ${i + 1}`);
      checkText(r.question, `the question of recommendation ${i + 1}`);
      r.options.forEach((o, k) => {
        checkText(o.text, `option ${k + 1} of recommendation ${i + 1}`);
        checkText(o.pros, `the pros of option ${k + 1} of recommendation ${i + 1}`);
        checkText(o.cons, `the cons of option ${k + 1} of recommendation ${i + 1}`);
      });
      checkSource(r.source, r.span);
      checkAudiences(r.audiences, r.span);
    });
  }
  return out;
}

/**
 * An author as the model keeps it. A name written as one string cites its last word (`Colin H.
 * Kahl` → `Kahl`), after any bracketed part and a trailing `et al.`; that is a guess.
 */
function toAuthor(raw: string | { family: string; given?: string } | { organisation: string; short?: string }): Author {
  if (typeof raw !== 'string') {
    if ('organisation' in raw)
      return { name: raw.organisation, cite: raw.short ?? raw.organisation, guessed: false, andOthers: false };
    return {
      name: raw.given ? `${raw.given} ${raw.family}` : raw.family,
      cite: raw.family,
      guessed: false,
      andOthers: false,
    };
  }
  const andOthers = /,?\s+et\s+al\.?$/i.test(raw);
  const plain = raw
    .replace(/\s*\(.*?\)\s*/g, ' ')
    .replace(/,?\s+et\s+al\.?$/i, '')
    .trim();
  const words = plain.split(/\s+/);
  return { name: raw, cite: words[words.length - 1] || raw, guessed: true, andOthers };
}

/**
 * Ids and `replaces` of a module's points (or recommendations): ids unique, each replaced id an
 * other entry of the module, and a replacement written for some audiences, not for everyone.
 */
function replacementProblems(
  module: string,
  items: readonly { id: string | null; replaces: readonly string[]; audiences: string[] | null; span: Span }[],
  noun: 'point' | 'recommendation',
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = new Set<string>();
  for (const item of items) {
    if (item.id === null) continue;
    if (ids.has(item.id))
      out.push(
        error(
          'duplicate-id',
          `two ${noun}s in module \`${module}\` are named \`${item.id}\``,
          item.span,
          `give each ${noun} its own \`id\``,
        ),
      );
    ids.add(item.id);
  }
  for (const item of items) {
    for (const target of item.replaces) {
      if (ids.has(target) && target !== item.id) continue;
      const others = [...ids].filter((x) => x !== item.id);
      out.push(
        target === item.id
          ? error(
              `unknown-${noun}`,
              `a ${noun} cannot replace itself (\`${target}\`)`,
              item.span,
              unknownHint(noun, closest(target, others)),
            )
          : unknownReplacement(`the ${noun}`, target, module, noun, others, item.span, 'other '),
      );
    }
    if (item.replaces.length > 0 && !item.audiences)
      out.push(
        warning(
          'replaces-for-everyone',
          `the ${noun} replaces ${item.replaces.map((x) => `\`${x}\``).join(', ')} for every audience, so it is never shown`,
          item.span,
          'name the audiences this version is written for, such as `audiences: [public]`, or delete what it replaces',
        ),
      );
  }
  return out;
}

/** `replaces` names no entry of the module: the error, with a did-you-mean from `candidates`. */
function unknownReplacement(
  subject: string,
  target: string,
  module: string,
  noun: 'point' | 'recommendation',
  candidates: readonly string[],
  span: Span,
  other: '' | 'other ',
): Diagnostic {
  return error(
    `unknown-${noun}`,
    `${subject} replaces \`${target}\`, but module \`${module}\` has no ${other}${noun} of that \`id\``,
    span,
    unknownHint(noun, closest(target, candidates)),
  );
}

function unknownHint(noun: string, suggestion: string | null | undefined): string {
  return suggestion ? `did you mean \`${suggestion}\`?` : `give the ${noun} an \`id: …\` and name it in \`replaces\``;
}

type RawSourceRef = string | { id: string; at: string } | undefined;

function sourceId(ref: RawSourceRef): string | null {
  return ref === undefined ? null : typeof ref === 'string' ? ref : ref.id;
}

function sourceAt(ref: RawSourceRef): string | null {
  return ref === undefined || typeof ref === 'string' ? null : ref.at;
}

function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function buildModule(raw: RawModule, f: YamlFile, id: string): Module {
  const at = (...path: Path) => f.spanAt(path);
  const points: Point[] = raw.points.map((p, i) => ({
    id: p.id ?? null,
    text: localized(p.text, f, ['points', i, 'text']),
    priority: p.priority,
    source: sourceId(p.source),
    at: sourceAt(p.source),
    audiences: p.audiences ?? null,
    replaces: listOf(p.replaces),
    span: at('points', i),
  }));
  const facts: Fact[] = (raw.facts ?? []).map((x, i) => ({
    id: x.id ?? null,
    value: localized(x.value, f, ['facts', i, 'value']),
    label: localized(x.label, f, ['facts', i, 'label']),
    source: sourceId(x.source),
    at: sourceAt(x.source),
    audiences: x.audiences ?? null,
    chart: x.chart ? buildChart(x.chart, f, ['facts', i, 'chart']) : null,
    span: at('facts', i),
  }));
  const quotes: Quote[] = (raw.quotes ?? []).map((q, i) => ({
    text: localized(q.text, f, ['quotes', i, 'text']),
    by: localized(q.by, f, ['quotes', i, 'by']),
    source: sourceId(q.source),
    at: sourceAt(q.source),
    paraphrased: q.paraphrased ?? false,
    audiences: q.audiences ?? null,
    span: at('quotes', i),
  }));
  const recommendations: Recommendation[] = (raw.recommendations ?? []).map((r, i) => ({
    id: r.id ?? null,
    text: localized(r.text, f, ['recommendations', i, 'text']),
    short: r.short === undefined ? null : localized(r.short, f, ['recommendations', i, 'short']),
    owner: r.owner === undefined ? null : localized(r.owner, f, ['recommendations', i, 'owner']),
    timing: r.timing === undefined ? null : localized(r.timing, f, ['recommendations', i, 'timing']),
    kind: r.kind ?? null,
    question: r.question === undefined ? null : localized(r.question, f, ['recommendations', i, 'question']),
    options: (r.options ?? []).map((o, k) => ({
      text: localized(o.text, f, ['recommendations', i, 'options', k, 'text']),
      pros: localized(o.pros, f, ['recommendations', i, 'options', k, 'pros']),
      cons: localized(o.cons, f, ['recommendations', i, 'options', k, 'cons']),
      span: at('recommendations', i, 'options', k),
    })),
    priority: r.priority ?? 2,
    source: sourceId(r.source),
    at: sourceAt(r.source),
    audiences: r.audiences ?? null,
    replaces: listOf(r.replaces),
    span: at('recommendations', i),
  }));
  return {
    id,
    file: f.file,
    title: localized(raw.title, f, ['title']),
    summary: localized(raw.summary, f, ['summary']),
    place: raw.place ?? null,
    judgment: raw.judgment
      ? {
          text: localized(raw.judgment.text, f, ['judgment', 'text']),
          evidence: raw.judgment.evidence ?? null,
          replaces: listOf(raw.judgment.replaces),
          span: at('judgment'),
        }
      : null,
    relevance: raw.relevance ?? {},
    relevanceSpans: Object.fromEntries(
      Object.keys(raw.relevance ?? {}).map((k) => [k, f.spanAt(['relevance', k], true)]),
    ),
    points,
    facts,
    quotes,
    recommendations,
    notes: raw.notes ? localized(raw.notes, f, ['notes']) : null,
    span: at(),
  };
}

function buildChart(raw: NonNullable<RawModule['facts']>[number]['chart'] & object, f: YamlFile, path: Path): Chart {
  const opt = (v: RawText | undefined, key: string) => (v === undefined ? null : localized(v, f, [...path, key]));
  return {
    kind: raw.kind,
    title: opt(raw.title, 'title'),
    unit: opt(raw.unit, 'unit'),
    categories: raw.categories.map((c, k) => localized(c, f, [...path, 'categories', k])),
    values: raw.values,
    max: raw.max ?? null,
    alt: opt(raw.alt, 'alt'),
    span: f.spanAt(path),
    valuesSpan: f.spanAt([...path, 'values']),
  };
}

/**
 * What the schema cannot say about a chart: its lists agree, a pie's parts are positive, and it
 * is small enough to read. Every category and value is labelled beside the chart (no legend, no
 * axis to read off), in half a slide (about 450 × 250 pt) and in a memo column (about 470 pt
 * wide), so the limits are what those can set at the theme's smallest label sizes:
 * - a pie: 6 parts. Its keys are stacked beside it, a value and a name each (about 26 pt at the
 *   smallest sizes, so 8 would fill the slide's 250 pt); and the default palette has 6 colours,
 *   beyond which two parts share one and the key no longer tells them apart.
 * - bars: 12. One bar per line of name (a band of about 20 pt on a slide at 12).
 * - columns and lines: 12. Each column is about 37 pt wide on a slide at 12, which still holds a
 *   value such as `12.5%` or a year; more would make the numbers wrap.
 * Values are at most 10^15 in size: integers up to 2^53 (about 9 × 10^15) are exact in floating
 * point, so labels print the value written and a pie's total and the axis' ends stay exact.
 * The layout still refuses a chart whose names are too long for its room (src/layout/layout-chart.ts).
 */
function chartProblems(chart: Chart): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { categories, values } = chart;
  const most = { pie: 6, bar: 12, column: 12, line: 12 }[chart.kind];
  const what = chart.kind === 'pie' ? 'parts' : 'categories';
  if (categories.length > most) {
    out.push(
      error(
        'chart-too-many',
        `a ${chart.kind} chart shows at most ${most} ${what}, and this one has ${categories.length}`,
        categories[most]?.span ?? chart.valuesSpan,
        chart.kind === 'pie'
          ? `keep the ${most - 1} largest parts and add up the rest as one, such as \`Other\`, or use a \`bar\` chart (up to 12)`
          : `keep the ${most - 1} largest and add up the rest as one, such as \`Other\`, or split the chart in two`,
      ),
    );
  }
  if (categories.length !== values.length) {
    out.push(
      error(
        'chart-mismatch',
        `the chart has ${categories.length} categor${categories.length === 1 ? 'y' : 'ies'} but ${values.length} value${values.length === 1 ? '' : 's'}`,
        chart.valuesSpan,
        'give one value per category, in the same order',
      ),
    );
  }
  if (values.some((v) => !Number.isFinite(v)))
    out.push(
      error(
        'chart-value',
        'chart values must be finite numbers',
        chart.valuesSpan,
        'write numbers such as `50` or `12.5`',
      ),
    );
  const huge = values.find((v) => Math.abs(v) > 1e15);
  if (huge !== undefined && Number.isFinite(huge)) {
    out.push(
      error(
        'chart-value',
        `the chart value \`${huge}\` is too large: a chart shows values up to 10^15 (\`1e15\`) in size`,
        chart.valuesSpan,
        'chart in a larger unit, such as `1.2` with `unit: trillion`',
      ),
    );
  }
  if (chart.kind === 'pie') {
    if (values.some((v) => v < 0))
      out.push(
        error(
          'chart-value',
          'a pie chart cannot show negative values',
          chart.valuesSpan,
          'use a `bar` or `column` chart for values below zero',
        ),
      );
    if (values.length < 2)
      out.push(
        error(
          'chart-value',
          'a pie chart needs at least two parts',
          chart.valuesSpan,
          'add the rest as a category (e.g. `Rest of the world`), or use a `bar` chart',
        ),
      );
    if (values.every((v) => v === 0))
      out.push(error('chart-value', 'a pie chart needs a part above zero', chart.valuesSpan, 'check the values'));
  } else if (chart.max !== null && values.some((v) => v > chart.max!)) {
    out.push(
      error(
        'chart-value',
        `a value is above the axis maximum ${chart.max}`,
        chart.valuesSpan,
        'raise `max`, or leave it out to fit the data',
      ),
    );
  }
  if (values.length === 1 && chart.kind !== 'pie') {
    out.push(
      warning(
        'chart-single-value',
        'a chart compares, and this one has a single value: it is shown as a figure (its value and label), not as a chart',
        chart.valuesSpan,
        'chart it against something the source gives (last year, another country, the target), or leave out `chart`',
      ),
    );
  }
  return out;
}

function localized(raw: RawText, f: YamlFile, path: Path): Localized {
  if (typeof raw === 'string') return { any: raw, byLang: {}, span: f.spanAt(path) };
  const byLang: Localized['byLang'] = {};
  for (const [tag, text] of Object.entries(raw)) byLang[tag] = { text, span: f.spanAt([...path, tag]) };
  return { any: null, byLang, span: f.spanAt(path) };
}

function isMapping(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
