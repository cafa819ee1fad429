// load: template folders → Templates (the files that win for one audience and language).
// A user folder is layered over the built-in one: any file present there wins, the rest falls
// back. Side effects: reads files. A template folder is data written by someone else
// (docs/security.md): every file it contributes is read with the folder rules of ./confined.ts,
// and the fonts and logo its theme names are checked (./assets.ts) before anything is drawn.
import { extname, join, relative, sep } from 'node:path';
import type { z } from 'zod';
import { type Diagnostic, error, warning } from '../model/diagnostic.js';
import type { Lang } from '../model/lang.js';
import type { Reference } from '../model/reference.js';
import type { Span } from '../model/span.js';
import type { TemplateFile, Templates } from '../model/templates.js';
import type { AudienceProfile, FontFiles, Strings, Theme } from '../model/theme.js';
import { BUILTIN_TEMPLATES } from '../paths.js';
import { printable } from '../printable.js';
import { type AssetFolder, checkFontFile, parseFontFully, readImageInfo, resolveFontSpec } from './assets.js';
import { LIMITS, listConfined, present, type ReadProblem, readConfined, realFolder } from './confined.js';
import { type Path, readYamlFile, type YamlFile } from './read-yaml.js';
import { BadReference, readReference } from './reference.js';
import {
  audienceSchema,
  stepsOf,
  stringsSchema,
  TEMPLATE_KEYS,
  themeProblems,
  themeSchema,
} from './template-schema.js';
import { expandThemeFonts } from './theme-fonts.js';
import { closest, validateYaml } from './validate.js';

export interface LoadTemplatesOptions {
  /** A user template folder layered over the built-in one. */
  userDir?: string | null;
  audience: string;
  lang: Lang;
  builtinDir?: string;
  display?: (absolutePath: string) => string;
  /** Parse every font completely, as `briefing check` does (a build checks headers only). */
  deepCheck?: boolean;
}

const AUDIENCE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** A template folder with the real path its files must stay inside. */
interface Folder {
  dir: string;
  root: string;
}

export function loadTemplates(options: LoadTemplatesOptions): {
  templates: Templates | null;
  diagnostics: Diagnostic[];
} {
  const display = options.display ?? ((p: string) => relative(process.cwd(), p) || '.');
  const builtin = options.builtinDir ?? BUILTIN_TEMPLATES;
  const diagnostics: Diagnostic[] = [];
  const userRoot = options.userDir ? realFolder(options.userDir) : null;
  if (options.userDir && !userRoot) {
    return {
      templates: null,
      diagnostics: [
        error(
          'no-template-folder',
          `template folder \`${display(options.userDir)}\` does not exist`,
          undefined,
          'create it with `briefing init DIR`',
        ),
      ],
    };
  }
  const builtinRoot = realFolder(builtin);
  if (!builtinRoot)
    return {
      templates: null,
      diagnostics: [
        error(
          'missing-template',
          `the built-in template folder \`${display(builtin)}\` is missing`,
          undefined,
          'reinstall briefing',
        ),
      ],
    };
  const folders: Folder[] = [
    ...(options.userDir && userRoot ? [{ dir: options.userDir, root: userRoot }] : []),
    { dir: builtin, root: builtinRoot },
  ];
  const dirs = folders.map((f) => f.dir);
  const { audience, lang } = options;
  if (!AUDIENCE_ID.test(audience)) {
    return {
      templates: null,
      diagnostics: [
        error(
          'unknown-audience',
          `\`${printable(audience)}\` is not an audience id`,
          undefined,
          'an audience id uses lowercase letters, digits and `-` only',
        ),
      ],
    };
  }
  const inputs: string[] = [];

  const audiences = loadAudiences(dirs, display, diagnostics, inputs);
  const readTemplate = (path: string, root: string, name: string): TemplateFile | null => {
    const read = readConfined(path, root, LIMITS.template);
    const at: Span = { file: display(path), line: 1, col: 1 };
    if (!read.ok) {
      diagnostics.push(error(read.code, `\`${display(path)}\` ${read.message}`, at, read.hint));
      return null;
    }
    let source: string;
    try {
      source = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
    } catch {
      diagnostics.push(error('not-utf8', 'file is not valid UTF-8 text', at, 'save the template as UTF-8'));
      return null;
    }
    inputs.push(read.real);
    return { name, source, file: display(path) };
  };
  let unreadable = false;
  const find = (name: string): TemplateFile | null => {
    for (const f of folders) {
      for (const candidate of [join(f.dir, 'audiences', audience, name), join(f.dir, name)]) {
        if (!present(candidate)) continue;
        const t = readTemplate(candidate, f.root, name);
        if (!t) unreadable = true;
        return t;
      }
    }
    return null;
  };
  const deck = find('deck.hbs');
  const memo = find('memo.hbs');
  if ((!deck || !memo) && !unreadable) {
    diagnostics.push(
      error(
        'missing-template',
        `no ${deck ? 'memo' : 'deck'}.hbs in any template folder`,
        undefined,
        'restore the built-in templates folder',
      ),
    );
  }
  const partials: Record<string, TemplateFile> = Object.create(null);
  for (const f of [...folders].reverse()) {
    for (const sub of [join(f.dir, 'partials'), join(f.dir, 'audiences', audience, 'partials')]) {
      const listing = listConfined(sub, f.root);
      if (listing.problem)
        diagnostics.push(
          error(
            listing.problem.code,
            `\`${display(sub)}\` ${listing.problem.message}`,
            undefined,
            listing.problem.hint,
          ),
        );
      for (const name of listing.names) {
        if (!name.endsWith('.hbs')) continue;
        const t = readTemplate(join(sub, name), f.root, `partials/${name}`);
        if (t) partials[name.slice(0, -4)] = t;
      }
    }
  }

  const themeLayers = loadLayered('theme.yaml', folders, audience, display, diagnostics, inputs, (value, below, file) =>
    expandThemeFonts(value, below, file, deepMerge),
  );
  const theme = themeLayers
    ? check<Theme>(themeLayers, diagnostics, (file) => validateYaml(themeSchema, file, TEMPLATE_KEYS))
    : null;
  if (theme && themeLayers) diagnostics.push(...themeProblems(theme, themeLayers.spanAt));
  const stringsLayers = loadLayered(join('strings', `${lang}.yaml`), folders, audience, display, diagnostics, inputs);
  const strings = stringsLayers
    ? check<Strings>(stringsLayers, diagnostics, (file) => validateYaml(stringsSchema, file, TEMPLATE_KEYS))
    : null;
  if (strings && stringsLayers) diagnostics.push(...localeProblems(strings, stringsLayers.spanAt));
  if (theme && !Object.hasOwn(theme.fonts, lang)) {
    diagnostics.push(
      error('no-fonts', `the theme has no fonts for \`${lang}\``, undefined, `add \`fonts.${lang}\` to theme.yaml`),
    );
  }
  if (!audiences.some((a) => a.id === audience)) {
    diagnostics.push(
      error(
        'unknown-audience',
        `unknown audience \`${audience}\``,
        undefined,
        `audiences are ${audiences.map((a) => `\`${a.id}\``).join(', ')}`,
      ),
    );
  }
  if (!deck || !memo || !theme || !themeLayers || !strings || diagnostics.some((d) => d.severity === 'error'))
    return { templates: null, diagnostics };
  // Relative font and logo paths are resolved against the user's folder first (where its
  // theme.yaml named them), then the built-in one; the built-in theme names npm packages.
  const themeDir = options.userDir && present(join(options.userDir, 'theme.yaml')) ? options.userDir : builtin;
  const assets = checkAssets(theme, lang, folders, themeLayers.spanAt, options.deepCheck ?? false);
  diagnostics.push(...assets.diagnostics);
  if (assets.diagnostics.some((d) => d.severity === 'error')) return { templates: null, diagnostics };
  inputs.push(...assets.inputs);
  const resolved = withSteps({ ...assets.theme, dir: themeDir });
  return {
    templates: { dirs, deck, memo, partials, theme: resolved, strings, audiences, inputs: [...new Set(inputs)].sort() },
    diagnostics,
  };
}

/**
 * The theme with each role's type-scale steps resolved to its sizes, largest first, and its `max`
 * and `min` narrowed to the first and last step, so everything that reads a role's range agrees.
 */
function withSteps(theme: Theme): Theme {
  const scale = theme.deck.scale ?? {};
  const roles: Theme['deck']['roles'] = {};
  for (const [name, r] of Object.entries(theme.deck.roles)) {
    const steps = stepsOf(r, scale);
    roles[name] = steps.length > 0 ? { ...r, steps, max: steps[0]!, min: steps[steps.length - 1]! } : r;
  }
  return { ...theme, deck: { ...theme.deck, roles } };
}

/**
 * The theme's fonts for `lang` and its logo, each resolved inside a template folder (fonts also
 * in an installed npm package) and checked; the theme comes back with their real paths.
 */
function checkAssets(
  theme: Theme,
  lang: Lang,
  folders: readonly AssetFolder[],
  spanAt: (path: Path) => Span,
  deep: boolean,
): { theme: Theme; inputs: string[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const inputs: string[] = [];
  const checked = new Map<string, string | null>();
  const font = (spec: string, path: Path): string => {
    const key = spec;
    if (checked.has(key)) return checked.get(key) ?? spec;
    const found = resolveFontSpec(spec, folders);
    let problem = found.ok ? checkFontFile(found.real) : found;
    // The fonts of npm packages ship with the tool; a template folder's own are read through.
    if (!problem && found.ok && deep && !found.real.includes(`${sep}node_modules${sep}`))
      problem = parseFontFully(found.real);
    if (problem || !found.ok) {
      diagnostics.push(
        error(problem!.code, `the font \`${printable(spec)}\` ${problem!.message}`, spanAt(path), problem!.hint),
      );
      checked.set(key, null);
      return spec;
    }
    checked.set(key, found.real);
    inputs.push(found.real);
    return found.real;
  };
  const set = theme.fonts[lang];
  let fonts = theme.fonts;
  if (set) {
    const files = (f: FontFiles, at: Path): FontFiles => ({
      ...f,
      regular: font(f.regular, [...at, 'regular']),
      bold: font(f.bold, [...at, 'bold']),
      italic: font(f.italic, [...at, 'italic']),
      boldItalic: font(f.boldItalic, [...at, 'boldItalic']),
      ...(f.ea
        ? {
            ea: { regular: font(f.ea.regular, [...at, 'ea', 'regular']), bold: font(f.ea.bold, [...at, 'ea', 'bold']) },
          }
        : {}),
    });
    const base: Path = ['fonts', lang];
    fonts = {
      ...theme.fonts,
      [lang]: {
        deck: files(set.deck, [...base, 'deck']),
        memo: files(set.memo, [...base, 'memo']),
        ...(set.deckHeadings ? { deckHeadings: files(set.deckHeadings, [...base, 'deckHeadings']) } : {}),
        ...(set.memoHeadings ? { memoHeadings: files(set.memoHeadings, [...base, 'memoHeadings']) } : {}),
      },
    };
  }
  // A logo and a reference are files of the folder whose theme.yaml names them (never a path out of it).
  const folderFile = <T extends { ok: true; real: string }>(
    spec: string,
    at: Path,
    what: string,
    hint: string,
    read: (local: string, root: string) => T | ({ ok: false } & ReadProblem),
  ): T | null => {
    if (spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec)) {
      diagnostics.push(
        error(
          `${what}-path`,
          `the ${what} \`${printable(spec)}\` is an absolute path`,
          spanAt(at),
          `copy the file into the template folder and give its path relative to the folder`,
        ),
      );
      return null;
    }
    const folder = folders.find((f) => present(join(f.dir, spec)));
    if (!folder) {
      // A file of that kind in the first folder, named almost the same (`Meridian.potx`).
      const first = folders[0];
      const near =
        first && !/[\\/]/.test(spec)
          ? closest(
              spec,
              listConfined(first.dir, first.root).names.filter(
                (n) => n !== spec && extname(n).toLowerCase() === extname(spec).toLowerCase(),
              ),
            )
          : null;
      diagnostics.push(
        error(
          'missing-file',
          `the ${what} \`${printable(spec)}\` does not exist in the template folder`,
          spanAt(at),
          near ? `did you mean \`${printable(near)}\`?` : hint,
        ),
      );
      return null;
    }
    const found = read(join(folder.dir, spec), folder.root);
    if (!found.ok) {
      diagnostics.push(
        error(found.code, `the ${what} \`${printable(spec)}\` ${found.message}`, spanAt(at), found.hint),
      );
      return null;
    }
    inputs.push(found.real);
    return found;
  };
  let logo = theme.logo;
  if (logo) {
    const found = folderFile(
      logo.file,
      ['logo', 'file'],
      'logo',
      'give `logo.file` relative to the template folder',
      readImageInfo,
    );
    logo = found ? { ...logo, file: found.real } : undefined;
  }
  let reference: Pick<Theme, 'reference' | 'referenceLayout'> = {};
  if (theme.reference) {
    const found = folderFile(
      theme.reference,
      ['reference'],
      'reference',
      'give `reference` relative to the template folder (the .potx or .pptx file itself)',
      readReferenceFile,
    );
    if (found) reference = { reference: found.real, referenceLayout: found.layout };
  }
  const { reference: _, referenceLayout: __, logo: ___, ...rest } = theme;
  return { theme: { ...rest, fonts, ...(logo ? { logo } : {}), ...reference }, inputs, diagnostics };
}

/** A reference file read inside its folder, with its layouts; what is wrong with it, as a read problem. */
function readReferenceFile(
  local: string,
  root: string,
): { ok: true; real: string; layout: Reference } | ({ ok: false } & ReadProblem) {
  const read = readConfined(local, root, LIMITS.reference);
  if (!read.ok) return read;
  try {
    return { ok: true, real: read.real, layout: readReference(read.bytes, read.real, root) };
  } catch (cause) {
    if (cause instanceof BadReference)
      return { ok: false, code: 'bad-reference', message: cause.message, hint: cause.hint };
    throw cause;
  }
}

/** A date locale Node.js can use; the strings' `lang` is the fallback, so it is checked too. */
function localeProblems(strings: Strings, spanAt: (path: Path) => Span): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const key of ['dateLocale', 'lang'] as const) {
    const value = strings[key];
    if (value === undefined) continue;
    let known: string[] = [];
    try {
      known = Intl.DateTimeFormat.supportedLocalesOf([value]);
    } catch {
      out.push(
        error(
          'invalid-value',
          `\`${key}\`: \`${printable(value)}\` is not a language tag`,
          spanAt([key]),
          'write a BCP 47 tag such as `en-GB`, `zh-TW` or `zh-CN`',
        ),
      );
      continue;
    }
    if (known.length === 0 && key === 'dateLocale')
      out.push(
        warning(
          'unknown-locale',
          `\`dateLocale\`: this Node.js has no date formats for \`${printable(value)}\`; dates use its default`,
          spanAt([key]),
          'use a locale such as `en-GB`, `zh-TW` or `zh-CN`',
        ),
      );
  }
  return out;
}

/** Audience profiles of every folder; a user's profile with a built-in id replaces it. */
export function loadAudiences(
  dirs: readonly string[],
  display: (p: string) => string,
  diagnostics: Diagnostic[],
  inputs: string[] = [],
): AudienceProfile[] {
  const raw = new Map<string, { value: z.infer<typeof audienceSchema>; file: YamlFile }>();
  for (const dir of [...dirs].reverse()) {
    const root = realFolder(dir);
    if (!root) continue;
    const sub = join(dir, 'audiences');
    const listing = listConfined(sub, root);
    if (listing.problem)
      diagnostics.push(
        error(listing.problem.code, `\`${display(sub)}\` ${listing.problem.message}`, undefined, listing.problem.hint),
      );
    for (const f of listing.names) {
      if (!/\.ya?ml$/.test(f)) continue;
      const read = readYamlFile(join(sub, f), display(join(sub, f)), root);
      diagnostics.push(...read.diagnostics);
      if (!read.file) continue;
      inputs.push(read.file.real);
      const checked = validateYaml(audienceSchema, read.file, TEMPLATE_KEYS);
      diagnostics.push(...checked.diagnostics);
      const v = checked.value;
      if (!v) continue;
      const expected = f.replace(/\.ya?ml$/, '');
      if (v.id !== expected) {
        diagnostics.push(
          error(
            'audience-id-mismatch',
            `audience id \`${v.id}\` does not match its file name \`${printable(f)}\``,
            read.file.spanAt(['id']),
            `set \`id: ${printable(expected)}\``,
          ),
        );
        continue;
      }
      raw.set(v.id, { value: v, file: read.file });
    }
  }
  // `extends`: the parent's settings under the child's own, followed up the chain.
  const out: AudienceProfile[] = [];
  for (const [id, { value, file }] of raw) {
    const ancestors: string[] = [];
    let merged: unknown = value;
    for (let parent = value.extends; parent !== undefined; ) {
      const base = raw.get(parent);
      if (!base || parent === id || ancestors.includes(parent)) {
        diagnostics.push(
          error(
            base ? 'audience-extends-loop' : 'unknown-audience',
            base
              ? `audience \`${id}\` extends itself through ${[...ancestors, parent].map((a) => `\`${a}\``).join(' → ')}`
              : `audience \`${id}\` extends \`${printable(parent)}\`, which is no audience`,
            file.spanAt(['extends']),
            base
              ? 'an audience extends one that does not extend it back'
              : `audiences are ${[...raw.keys()].map((a) => `\`${a}\``).join(', ')}`,
          ),
        );
        break;
      }
      ancestors.push(parent);
      // The memo is addressed to this audience (its label) unless it says otherwise.
      const inherited = { ...base.value, memo: base.value.memo ? { ...base.value.memo, to: undefined } : undefined };
      merged = deepMerge(inherited, merged);
      parent = base.value.extends;
    }
    const profile = profileOf({ ...(merged as z.infer<typeof audienceSchema>), id }, file.file);
    out.push({ ...profile, ancestors });
  }
  return out;
}

/** A profile with every default filled in, so a user's profile can be three lines long. */
function profileOf(v: z.infer<typeof audienceSchema>, file: string): AudienceProfile {
  const map = (t: string | Record<string, string>) => (typeof t === 'string' ? { '*': t } : t);
  const w = v.deck?.weights ?? {};
  return {
    id: v.id,
    ancestors: [],
    label: map(v.label),
    description: map(v.description),
    marking: v.marking ? map(v.marking) : null,
    recommendationKinds: v.recommendationKinds ?? null,
    deck: {
      sections: v.deck?.sections ?? ['summary', 'agenda', 'modules', 'recommendations', 'sources'],
      moduleOrder: v.deck?.moduleOrder ?? 'relevance',
      judgments: v.deck?.judgments ?? 6,
      sidePanel: v.deck?.sidePanel ?? 'figures',
      weights: {
        parts: w.parts ?? 42,
        figures: w.figures ?? 58,
        quotes: w.quotes ?? 35,
        recommendations: w.recommendations ?? 45,
        options: w.options ?? 0,
      },
    },
    memo: {
      to: map(v.memo?.to ?? v.label),
      footer: v.memo?.footer ? map(v.memo.footer) : null,
      judgments: v.memo?.judgments ?? v.deck?.judgments ?? 6,
      moduleOrder: v.memo?.moduleOrder ?? v.deck?.moduleOrder ?? 'relevance',
      glossary: v.memo?.glossary ?? false,
      charts: v.memo?.charts ?? 'supporting',
      recommendations: v.memo?.recommendations ?? 5,
    },
    file,
  };
}

/**
 * Reads `name` from every folder that has it (audience override first) and deep-merges the
 * user's keys over the built-in ones, keeping a way to find whichever file holds a value.
 */
function loadLayered(
  name: string,
  folders: readonly Folder[],
  audience: string,
  display: (p: string) => string,
  diagnostics: Diagnostic[],
  inputs: string[],
  /** Rewrites one layer before it is merged over `below` (the layers underneath, merged). */
  prepareLayer?: (value: unknown, below: unknown, file: YamlFile) => { value: unknown; diagnostics: Diagnostic[] },
): YamlFile | null {
  const layers: YamlFile[] = [];
  let failed = false;
  for (const f of [...folders].reverse()) {
    for (const path of [join(f.dir, name), join(f.dir, 'audiences', audience, name)]) {
      if (!present(path)) continue;
      const read = readYamlFile(path, display(path), f.root);
      diagnostics.push(...read.diagnostics);
      if (read.file) {
        layers.push(read.file);
        inputs.push(read.file.real);
      } else failed = true;
    }
  }
  if (layers.length === 0) {
    if (!failed)
      diagnostics.push(
        error(
          'missing-template',
          `no \`${name}\` in any template folder`,
          undefined,
          'restore the built-in templates folder',
        ),
      );
    return null;
  }
  let merged: unknown = Object.create(null);
  for (const layer of layers) {
    const prepared = prepareLayer ? prepareLayer(layer.value, merged, layer) : { value: layer.value, diagnostics: [] };
    diagnostics.push(...prepared.diagnostics);
    merged = deepMerge(merged, prepared.value);
  }
  return {
    file: layers[layers.length - 1]!.file,
    real: layers[layers.length - 1]!.real,
    value: merged,
    spanAt(path: Path, key?: boolean) {
      for (let i = layers.length - 1; i >= 0; i--) {
        const layer = layers[i]!;
        if (has(layer.value, path)) return layer.spanAt(path, key);
        // A language's font that came from the layer's `fonts['*']`.
        const star = path[0] === 'fonts' ? ['fonts', '*', ...path.slice(2)] : null;
        if (star && has(layer.value, star)) return layer.spanAt(star, key);
      }
      return layers[0]!.spanAt(path, key);
    },
  };
}

/** Validates a layered file, pointing at whichever file holds a bad value. */
function check<T>(
  composite: YamlFile,
  diagnostics: Diagnostic[],
  validate: (file: YamlFile) => { value: unknown; diagnostics: Diagnostic[] },
): T | null {
  const result = validate(composite);
  diagnostics.push(...result.diagnostics);
  return result.value as T | null;
}

/** Merged into a table without a prototype, so a key such as `__proto__` or `constructor` is only a key. */
function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(base)) out[k] = v;
    for (const [k, v] of Object.entries(over)) out[k] = deepMerge(Object.hasOwn(base, k) ? base[k] : undefined, v);
    return out;
  }
  return over === undefined ? base : over;
}

function has(value: unknown, path: Path): boolean {
  let cur = value;
  for (const p of path) {
    if (!isPlainObject(cur) && !Array.isArray(cur)) return false;
    if (!Object.hasOwn(cur as object, p)) return false;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
