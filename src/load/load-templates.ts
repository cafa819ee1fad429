// load: template folders → Templates (the files that win for one audience and language).
// A user folder is layered over the built-in one: any file present there wins, the rest falls
// back. Side effects: reads files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { type Diagnostic, error } from '../model/diagnostic.js';
import type { Lang } from '../model/lang.js';
import type { TemplateFile, Templates } from '../model/templates.js';
import type { AudienceProfile, Strings, Theme } from '../model/theme.js';
import { BUILTIN_TEMPLATES } from '../paths.js';
import { type Path, readYamlFile, type YamlFile } from './read-yaml.js';
import { audienceSchema, stringsSchema, TEMPLATE_KEYS, themeSchema } from './template-schema.js';
import { validateYaml } from './validate.js';

export interface LoadTemplatesOptions {
  /** A user template folder layered over the built-in one. */
  userDir?: string | null;
  audience: string;
  lang: Lang;
  builtinDir?: string;
  display?: (absolutePath: string) => string;
}

export function loadTemplates(options: LoadTemplatesOptions): { templates: Templates | null; diagnostics: Diagnostic[] } {
  const display = options.display ?? ((p: string) => relative(process.cwd(), p) || '.');
  const builtin = options.builtinDir ?? BUILTIN_TEMPLATES;
  const diagnostics: Diagnostic[] = [];
  if (options.userDir && (!existsSync(options.userDir) || !statSync(options.userDir).isDirectory())) {
    return { templates: null, diagnostics: [error('no-template-folder', `template folder \`${display(options.userDir)}\` does not exist`, undefined, 'create it with `briefing init DIR`')] };
  }
  const dirs = options.userDir ? [options.userDir, builtin] : [builtin];
  const { audience, lang } = options;

  const audiences = loadAudiences(dirs, display, diagnostics);
  const find = (name: string): TemplateFile | null => {
    for (const dir of dirs) {
      for (const candidate of [join(dir, 'audiences', audience, name), join(dir, name)]) {
        if (existsSync(candidate)) return { name, source: readFileSync(candidate, 'utf8'), file: display(candidate) };
      }
    }
    return null;
  };
  const deck = find('deck.hbs');
  const memo = find('memo.hbs');
  if (!deck || !memo) {
    diagnostics.push(error('missing-template', `no ${deck ? 'memo' : 'deck'}.hbs in any template folder`, undefined, 'restore the built-in templates folder'));
  }
  const partials: Record<string, TemplateFile> = {};
  for (const dir of [...dirs].reverse()) {
    for (const sub of [join(dir, 'partials'), join(dir, 'audiences', audience, 'partials')]) {
      if (!existsSync(sub)) continue;
      for (const f of readdirSync(sub).sort()) {
        if (f.endsWith('.hbs')) partials[f.slice(0, -4)] = { name: `partials/${f}`, source: readFileSync(join(sub, f), 'utf8'), file: display(join(sub, f)) };
      }
    }
  }

  const theme = loadLayered<Theme>('theme.yaml', dirs, audience, display, diagnostics, (file) => validateYaml(themeSchema, file, TEMPLATE_KEYS));
  const strings = loadLayered<Strings>(join('strings', `${lang}.yaml`), dirs, audience, display, diagnostics, (file) => validateYaml(stringsSchema, file, TEMPLATE_KEYS));
  if (theme && !theme.fonts[lang]) {
    diagnostics.push(error('no-fonts', `the theme has no fonts for \`${lang}\``, undefined, `add \`fonts.${lang}\` to theme.yaml`));
  }
  if (!audiences.some((a) => a.id === audience)) {
    diagnostics.push(error('unknown-audience', `unknown audience \`${audience}\``, undefined, `audiences are ${audiences.map((a) => `\`${a.id}\``).join(', ')}`));
  }
  if (!deck || !memo || !theme || !strings || diagnostics.some((d) => d.severity === 'error')) return { templates: null, diagnostics };
  // Relative font paths are resolved against the folder whose theme.yaml named them; the
  // built-in theme names npm packages, so the user's folder is tried first.
  const themeDir = options.userDir && existsSync(join(options.userDir, 'theme.yaml')) ? options.userDir : builtin;
  return { templates: { dirs, deck, memo, partials, theme: { ...theme, dir: themeDir }, strings, audiences }, diagnostics };
}

/** Audience profiles of every folder; a user's profile with a built-in id replaces it. */
export function loadAudiences(dirs: readonly string[], display: (p: string) => string, diagnostics: Diagnostic[]): AudienceProfile[] {
  const byId = new Map<string, AudienceProfile>();
  for (const dir of [...dirs].reverse()) {
    const sub = join(dir, 'audiences');
    if (!existsSync(sub)) continue;
    for (const f of readdirSync(sub).sort()) {
      if (!/\.ya?ml$/.test(f)) continue;
      const read = readYamlFile(join(sub, f), display(join(sub, f)));
      diagnostics.push(...read.diagnostics);
      if (!read.file) continue;
      const checked = validateYaml(audienceSchema, read.file, TEMPLATE_KEYS);
      diagnostics.push(...checked.diagnostics);
      const v = checked.value;
      if (!v) continue;
      const expected = f.replace(/\.ya?ml$/, '');
      if (v.id !== expected) {
        diagnostics.push(error('audience-id-mismatch', `audience id \`${v.id}\` does not match its file name \`${f}\``, read.file.spanAt(['id']), `set \`id: ${expected}\``));
        continue;
      }
      byId.set(v.id, profileOf(v, read.file.file));
    }
  }
  return [...byId.values()];
}

/** A profile with every default filled in, so a user's profile can be three lines long. */
function profileOf(v: z.infer<typeof audienceSchema>, file: string): AudienceProfile {
  const map = (t: string | Record<string, string>) => (typeof t === 'string' ? { '*': t } : t);
  const w = v.deck?.weights ?? {};
  return {
    id: v.id,
    label: map(v.label),
    description: map(v.description),
    marking: v.marking ? map(v.marking) : null,
    deck: {
      sections: v.deck?.sections ?? ['summary', 'agenda', 'modules', 'recommendations', 'sources'],
      moduleOrder: v.deck?.moduleOrder ?? 'relevance',
      judgments: v.deck?.judgments ?? 6,
      sidePanel: v.deck?.sidePanel ?? 'figures',
      weights: { parts: w.parts ?? 42, figures: w.figures ?? 58, quotes: w.quotes ?? 35, recommendations: w.recommendations ?? 45 },
    },
    memo: {
      to: map(v.memo?.to ?? v.label),
      footer: v.memo?.footer ? map(v.memo.footer) : null,
      judgments: v.memo?.judgments ?? v.deck?.judgments ?? 6,
      moduleOrder: v.memo?.moduleOrder ?? v.deck?.moduleOrder ?? 'relevance',
      glossary: v.memo?.glossary ?? false,
      charts: v.memo?.charts ?? 'supporting',
    },
    file,
  };
}

/**
 * Reads `name` from every folder that has it (audience override first), deep-merges the user's
 * keys over the built-in ones, and validates the result, pointing at whichever file holds a bad value.
 */
function loadLayered<T>(
  name: string,
  dirs: readonly string[],
  audience: string,
  display: (p: string) => string,
  diagnostics: Diagnostic[],
  check: (file: YamlFile) => { value: unknown; diagnostics: Diagnostic[] },
): T | null {
  const layers: YamlFile[] = [];
  for (const dir of [...dirs].reverse()) {
    for (const path of [join(dir, name), join(dir, 'audiences', audience, name)]) {
      if (!existsSync(path)) continue;
      const read = readYamlFile(path, display(path));
      diagnostics.push(...read.diagnostics);
      if (read.file) layers.push(read.file);
    }
  }
  if (layers.length === 0) {
    diagnostics.push(error('missing-template', `no \`${name}\` in any template folder`, undefined, 'restore the built-in templates folder'));
    return null;
  }
  let merged: unknown = {};
  for (const layer of layers) merged = deepMerge(merged, layer.value);
  const composite: YamlFile = {
    file: layers[layers.length - 1]!.file,
    value: merged,
    spanAt(path: Path, key?: boolean) {
      for (let i = layers.length - 1; i >= 0; i--) if (has(layers[i]!.value, path)) return layers[i]!.spanAt(path, key);
      return layers[0]!.spanAt(path, key);
    },
  };
  const result = check(composite);
  diagnostics.push(...result.diagnostics);
  return result.value as T | null;
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
    return out;
  }
  return over === undefined ? base : over;
}

function has(value: unknown, path: Path): boolean {
  let cur = value;
  for (const p of path) {
    if (!isPlainObject(cur) && !Array.isArray(cur)) return false;
    cur = (cur as Record<string | number, unknown>)[p];
    if (cur === undefined) return false;
  }
  return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
