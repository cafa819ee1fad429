// load + localize: everything a deck and a memo start from (the first two stages of
// src/pipeline.ts). Its own module so that a cold start that finds the result in the disk cache
// (src/load/prepared-cache.ts) never loads the YAML parser, the schemas or OpenCC.
import { join } from 'node:path';
import { type Read, realFolder, recordReads, replayReads } from './load/confined.js';
import { loadPack } from './load/load-pack.js';
import { loadTemplates } from './load/load-templates.js';
import { openccTaiwanToMainland } from './localize/derive-hans.js';
import { inheritAudience, languageSource, localizePack } from './localize/localize-pack.js';
import { type Diagnostic, hasErrors } from './model/diagnostic.js';
import type { Lang } from './model/lang.js';
import type { LocalizedPack } from './model/localized.js';
import type { Templates } from './model/templates.js';
import type { AudienceProfile } from './model/theme.js';
import { pickText } from './plan/plan-deck.js';

export interface BuildOptions {
  /** Content-pack folder. */
  content: string;
  /** A user template folder layered over the built-in one. */
  template?: string | null;
  lang: Lang;
  audience: string;
  /** Document date (YYYY-MM-DD); default the pack's date. */
  date?: string | null;
  marking?: string | null;
  display?: (absolutePath: string) => string;
  /** Parse every font completely (`briefing check`); a build checks their headers only. */
  deepCheck?: boolean;
}

export interface Prepared {
  templates: Templates;
  pack: LocalizedPack;
  audience: AudienceProfile;
  date: string;
  /** The banner for every slide and page, or null. */
  marking: string | null;
  /** Real paths of every file the run reads: pack, templates, YAML, fonts, logo (an output may not be one). */
  inputs: string[];
  /** Real paths of the folders a run reads all of (the pack's modules, the template folder): no output goes there. */
  inputFolders: string[];
}

/**
 * What a batch build loads once and reuses: packs and template folders by their arguments, and
 * the prepared result by its options. Loading is deterministic, so sharing it cannot change an
 * output.
 */
export interface BuildCache {
  packs: Map<string, Remembered<ReturnType<typeof loadPack>>>;
  templates: Map<string, Remembered<ReturnType<typeof loadTemplates>>>;
  prepared: Map<string, { prepared: Prepared | null; diagnostics: Diagnostic[] }>;
}

/** A load kept in memory with what it read, so a later result built on it records those reads too. */
interface Remembered<T> {
  value: T;
  reads: Read[];
}

function cached<T>(map: Map<string, Remembered<T>> | undefined, key: string, make: () => T): T {
  if (!map) return make();
  const hit = map.get(key);
  if (hit) {
    replayReads(hit.reads);
    return hit.value;
  }
  const made = recordReads(make);
  map.set(key, made);
  return made.value;
}

/**
 * load: the templates for the options' language and the pack, checked against the audiences they
 * define; with a cache, each is loaded once (a pack's load does not depend on the language, so
 * every language shares it).
 */
export function loadInputs(
  options: BuildOptions,
  cache?: BuildCache,
): { t: ReturnType<typeof loadTemplates>; p: ReturnType<typeof loadPack> } {
  const t = cached(cache?.templates, `${options.template ?? ''}|${options.audience}|${options.lang}`, () =>
    loadTemplates({
      userDir: options.template ?? null,
      audience: options.audience,
      lang: options.lang,
      display: options.display,
      deepCheck: options.deepCheck,
    }),
  );
  const audienceIds = t.templates?.audiences.map((a) => a.id);
  const p = cached(cache?.packs, `${options.content}|${audienceIds?.join(',')}`, () =>
    loadPack(options.content, { audiences: audienceIds, display: options.display }),
  );
  return { t, p };
}

/** load + localize: everything both outputs start from. */
export function prepare(
  options: BuildOptions,
  cache?: BuildCache,
): { prepared: Prepared | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { t, p } = loadInputs(options, cache);
  diagnostics.push(...t.diagnostics, ...p.diagnostics);
  if (!t.templates || !p.pack || hasErrors(diagnostics)) return { prepared: null, diagnostics };
  const needsHans = languageSource(p.pack, options.lang) === 'derived';
  const l = localizePack(p.pack, options.lang, needsHans ? { toHans: openccTaiwanToMainland() } : {});
  diagnostics.push(...l.diagnostics);
  if (!l.pack) return { prepared: null, diagnostics };
  const audience = t.templates.audiences.find((a) => a.id === options.audience)!;
  // `--marking` wins; an empty one removes the audience's default banner.
  const marking =
    options.marking === undefined || options.marking === null
      ? pickText(audience.marking ?? {}, options.lang)
      : options.marking || null;
  const inputs = [...new Set([...(p.pack.inputs ?? []), ...(t.templates.inputs ?? [])])].sort();
  const inputFolders = [
    realFolder(join(options.content, 'modules')),
    options.template ? realFolder(options.template) : null,
  ].filter((d): d is string => d !== null);
  return {
    prepared: {
      templates: withGovernment(t.templates, l.pack.government?.text ?? null),
      pack: inheritAudience(l.pack, audience.id, audience.ancestors ?? []),
      audience,
      date: options.date ?? p.pack.date,
      marking,
      inputs,
      inputFolders,
    },
    diagnostics,
  };
}

/**
 * The template's strings with `{government}` filled: the pack's `government` (whose policy the
 * briefing analyses, such as Washington), else the strings' own `deck.government` (the government).
 * A heading can then say whose measures the asks are in any language and for any audience.
 */
function withGovernment(templates: Templates, government: string | null): Templates {
  const s = templates.strings;
  const who = government ?? s.deck.government ?? 'the government';
  const filled = (group: Record<string, string>) =>
    Object.fromEntries(Object.entries(group).map(([k, v]) => [k, v.replaceAll('{government}', who)]));
  return { ...templates, strings: { ...s, deck: filled(s.deck), memo: filled(s.memo) } };
}
