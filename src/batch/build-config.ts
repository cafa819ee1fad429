// A build matrix (briefing.config.yaml): packs × audiences × languages × formats × lengths, with
// per-entry overrides and an output-name pattern. Loading reads the file; expansion is pure.
import { dirname, isAbsolute, join, relative } from 'node:path';
import { z } from 'zod';
import { isCalendarDate } from '../dates.js';
import { readYamlFile } from '../load/read-yaml.js';
import { validateYaml } from '../load/validate.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import type { Lang } from '../model/lang.js';
import { LENGTH_LIMITS } from '../model/limits.js';
import { physicalPath } from '../physical-path.js';

const lang = z.enum(['en', 'zh-Hant', 'zh-Hans'], { error: 'languages are en, zh-Hant and zh-Hans' });
const format = z.enum(['deck', 'memo'], { error: 'formats are deck and memo' });
const lengths = (l: { min: number; max: number }, what: string) =>
  z.array(
    z
      .number()
      .int()
      .min(l.min, { error: `${what} are at least ${l.min}` })
      .max(l.max, { error: `${what} are at most ${l.max}` }),
    { error: 'expected a list of whole numbers such as `[10]`' },
  );
const settings = {
  template: z.string().optional(),
  date: z
    .string()
    .refine(isCalendarDate, {
      error: (issue) =>
        /^\d{4}-\d{2}-\d{2}$/.test(String(issue.input))
          ? 'no such day: expected a date written as YYYY-MM-DD, such as `2025-10-20`'
          : 'expected a date written as YYYY-MM-DD',
    })
    .optional(),
  marking: z.string().optional(),
  output: z.string().optional(),
};
const match = z.strictObject({
  pack: z.string().optional(),
  audience: z.string().optional(),
  lang: lang.optional(),
  format: format.optional(),
  length: z.number().int().optional(),
});

export const buildConfigSchema = z.strictObject({
  packs: z.array(z.string()).min(1).optional(),
  audiences: z.array(z.string()).min(1).optional(),
  languages: z.array(lang).min(1).optional(),
  decks: lengths(LENGTH_LIMITS.slides, 'decks').optional(),
  memos: lengths(LENGTH_LIMITS.pages, 'memos').optional(),
  ...settings,
  overrides: z.array(z.strictObject({ match, skip: z.boolean().optional(), ...settings })).optional(),
  entries: z
    .array(
      z
        .strictObject({
          pack: z.string().optional(),
          audience: z.string(),
          lang,
          format,
          length: z.number().int().min(1).max(LENGTH_LIMITS.slides.max),
          ...settings,
        })
        .refine(
          (e) =>
            e.length >= LENGTH_LIMITS[e.format === 'deck' ? 'slides' : 'pages'].min &&
            e.length <= LENGTH_LIMITS[e.format === 'deck' ? 'slides' : 'pages'].max,
          {
            error: `a deck has ${LENGTH_LIMITS.slides.min} to ${LENGTH_LIMITS.slides.max} slides, a memo ${LENGTH_LIMITS.pages.min} to ${LENGTH_LIMITS.pages.max} pages`,
            path: ['length'],
          },
        ),
    )
    .optional(),
});
export type BuildConfig = z.infer<typeof buildConfigSchema>;

export const DEFAULT_OUTPUT = 'out/{pack}-{audience}-{lang}-{length}{unit}.{ext}';

/** One file to build. */
export interface BuildEntry {
  /** Absolute path of the content pack. */
  pack: string;
  packName: string;
  audience: string;
  lang: Lang;
  format: 'deck' | 'memo';
  length: number;
  template: string | null;
  date: string | null;
  marking: string | undefined;
  /** Absolute output path. */
  output: string;
  /** The output with every link resolved (see physicalPath): what tells two names for one file apart. */
  physical: string;
}

export function loadBuildConfig(
  file: string,
  display: (p: string) => string,
): { config: BuildConfig | null; diagnostics: Diagnostic[] } {
  const read = readYamlFile(file, display(file));
  if (!read.file) return { config: null, diagnostics: read.diagnostics };
  const checked = validateYaml(buildConfigSchema, read.file, [
    ...Object.keys(buildConfigSchema.shape),
    'match',
    'skip',
    'format',
    'length',
    'lang',
    'pack',
    'audience',
  ]);
  return { config: checked.value, diagnostics: checked.diagnostics };
}

/**
 * Every entry of the matrix, in a fixed order (sorted by output path), so that shards are
 * stable. Packs and templates are relative to the config's folder; outputs to the working folder.
 */
export function expandMatrix(
  config: BuildConfig,
  context: {
    baseDir: string;
    defaultPack: string;
    audiences: (pack: string) => string[];
    languages: (pack: string) => Lang[];
    cwd: string;
  },
): { entries: BuildEntry[]; diagnostics: Diagnostic[] } {
  const abs = (p: string) => (isAbsolute(p) ? p : join(context.baseDir, p));
  const packs = (config.packs ?? [context.defaultPack]).map(abs);
  const pattern = config.output ?? DEFAULT_OUTPUT;
  const out = new Map<string, BuildEntry>();
  // The same entries by physical path: two names for one file (a linked folder) are one output.
  const byPhysical = new Map<string, BuildEntry>();
  const diagnostics: Diagnostic[] = [];
  const add = (
    base: Omit<BuildEntry, 'output' | 'template' | 'date' | 'marking' | 'physical'> & {
      output?: string;
      template?: string;
      date?: string;
      marking?: string;
    },
  ) => {
    const name = packName(base.pack);
    let entry = {
      ...base,
      packName: name,
      template: base.template ?? config.template ?? null,
      date: base.date ?? config.date ?? null,
      marking: base.marking ?? config.marking,
      outputPattern: base.output ?? pattern,
    };
    for (const o of config.overrides ?? []) {
      const m = o.match;
      if (
        (m.pack && abs(m.pack) !== base.pack && m.pack !== name) ||
        (m.audience && m.audience !== base.audience) ||
        (m.lang && m.lang !== base.lang) ||
        (m.format && m.format !== base.format) ||
        (m.length && m.length !== base.length)
      )
        continue;
      if (o.skip) return;
      entry = {
        ...entry,
        template: o.template ?? entry.template,
        date: o.date ?? entry.date,
        marking: o.marking ?? entry.marking,
        outputPattern: o.output ?? entry.outputPattern,
      };
    }
    // Outputs are relative to where the build runs; packs and templates to the config's folder.
    const filled = fillPattern(entry.outputPattern, {
      pack: name,
      audience: base.audience,
      lang: base.lang,
      length: base.length,
      format: base.format,
    });
    const output = isAbsolute(filled) ? filled : join(context.cwd, filled);
    // Two names for one file (a linked folder, `a/../b`) are the same output.
    const physical = physicalPath(output);
    const twin = byPhysical.get(physical);
    if (out.has(output) || twin) {
      diagnostics.push(
        error(
          'duplicate-output',
          `two entries write \`${relative(context.cwd, output)}\`${twin && twin.output !== output ? ` (also named \`${relative(context.cwd, twin.output)}\`)` : ''}`,
          undefined,
          'use {pack}, {audience}, {lang}, {format} and {length} in `output` so every file has its own name',
        ),
      );
      return;
    }
    out.set(output, {
      pack: base.pack,
      packName: name,
      audience: base.audience,
      lang: base.lang,
      format: base.format,
      length: base.length,
      template: entry.template ? abs(entry.template) : null,
      date: entry.date,
      marking: entry.marking,
      output,
      physical,
    });
    byPhysical.set(physical, out.get(output)!);
  };
  for (const pack of packs) {
    const audiences = config.audiences ?? context.audiences(pack);
    const languages = config.languages ?? context.languages(pack);
    for (const audience of audiences) {
      for (const l of languages) {
        for (const length of config.decks ?? [10])
          add({ pack, packName: '', audience, lang: l, format: 'deck', length });
        for (const length of config.memos ?? [1])
          add({ pack, packName: '', audience, lang: l, format: 'memo', length });
      }
    }
  }
  for (const e of config.entries ?? [])
    add({
      pack: abs(e.pack ?? packs[0]!),
      packName: '',
      audience: e.audience,
      lang: e.lang,
      format: e.format,
      length: e.length,
      output: e.output,
      template: e.template,
      date: e.date,
      marking: e.marking,
    });
  const entries = [...out.values()].sort((a, b) => (a.output < b.output ? -1 : a.output > b.output ? 1 : 0));
  return { entries, diagnostics };
}

/** The entries of shard `index` (1-based) of `count`: every count-th entry, so shards are disjoint and complete. */
export function shardOf<T>(entries: readonly T[], index: number, count: number): T[] {
  return entries.filter((_, i) => i % count === index - 1);
}

export function fillPattern(
  pattern: string,
  v: { pack: string; audience: string; lang: string; length: number; format: 'deck' | 'memo' },
): string {
  const unit = v.format === 'deck' ? 'slides' : v.length === 1 ? 'page' : 'pages';
  const ext = v.format === 'deck' ? 'pptx' : 'pdf';
  return pattern.replace(/\{(pack|audience|lang|length|format|unit|ext)\}/g, (_, k: string) =>
    String(({ ...v, unit, ext } as Record<string, string | number>)[k]),
  );
}

function packName(dir: string): string {
  return relative(dirname(dir), dir).replace(/[\\/]+$/, '') || 'pack';
}
