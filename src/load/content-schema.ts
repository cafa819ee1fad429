// The content-pack format (docs/content-format.md) as schemas. Unknown keys are errors, except
// keys starting with `x-`, which are removed before validation.
import { z } from 'zod';
import { isCalendarDate } from '../dates.js';
import { CHART_KINDS } from '../model/chart.js';

/**
 * The longest text a value may hold, in characters: a slide shows a few hundred, a memo page three
 * thousand. Far longer text could only be dropped, after measuring it again at every size.
 */
export const MAX_TEXT = 10_000;
/** Modules in a pack: a briefing draws on a handful, a library of research on a few hundred. */
export const MAX_MODULES = 1_000;
/** Speaker notes are read, not fitted onto a slide (except in a handout): they may be longer. */
export const MAX_NOTES = 50_000;

const text = (what: string, max = MAX_TEXT) => {
  const one = z
    .string()
    .min(1, { error: `${what} must not be empty` })
    .max(max, {
      error: (issue) =>
        `${what} is ${String(issue.input).length.toLocaleString('en')} characters long; at most ${max.toLocaleString('en')}`,
    });
  return z.union([one, z.record(z.string(), one)], {
    error: `expected ${what}: a string, or a map from language tag to string such as \`{ en: "…" }\``,
  });
};

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'an id uses lowercase letters, digits and `-` only' });
const date = z.string().refine(isCalendarDate, {
  error: (issue) =>
    /^\d{4}-\d{2}-\d{2}$/.test(String(issue.input))
      ? 'no such day: expected a date written as YYYY-MM-DD, such as `2025-10-20`'
      : 'expected a date written as YYYY-MM-DD',
});
const priority = z.union([z.literal(1), z.literal(2), z.literal(3)], {
  error: 'priority must be 1 (essential), 2 (supporting) or 3 (detail)',
});
const audiences = z.array(id, { error: 'expected a list of audience ids such as `[policymaker, industry]`' }).min(1);
/**
 * The source a claim comes from: its id, or its id with a locator into it (`{ id: commentary, at: "¶11" }`),
 * so `briefing check --trace` can print the claim beside the passage it rests on.
 */
const sourceRef = z.union(
  [
    id,
    z.strictObject({
      id,
      at: z
        .string()
        .min(1, { error: 'a locator must not be empty' })
        .max(60, { error: 'a locator is at most 60 characters, such as `¶11`, `¶11–12` or `p. 4`' }),
    }),
  ],
  { error: 'expected a source id such as `kahl-mitre-2025`, or `{ id: kahl-mitre-2025, at: "¶11" }`' },
);

/**
 * An author: a person as written (`Colin H. Kahl`), a person with the family name marked
 * (`{ family: Kahl, given: Colin H. }`), or an organisation with an optional short form
 * (`{ organisation: International Energy Agency, short: IEA }`).
 */
const authorSchema = z.union(
  [
    z.string().min(1).max(300),
    z.strictObject({ family: z.string().min(1).max(200), given: z.string().min(1).max(200).optional() }),
    z.strictObject({ organisation: z.string().min(1).max(300), short: z.string().min(1).max(60).optional() }),
  ],
  {
    error:
      'an author is a name such as `Colin H. Kahl`, `{ family: Kahl, given: Colin H. }` or `{ organisation: International Energy Agency, short: IEA }`',
  },
);

export const sourceSchema = z.strictObject({
  id,
  title: text('a source title'),
  short: text('a short citation').optional(),
  authors: z.array(authorSchema).max(100).optional(),
  publisher: text('a publisher').optional(),
  year: z.number().int({ error: 'a year is a whole number such as 2025' }).min(1000).max(9999).optional(),
  date: date.optional(),
  url: z.url({ error: 'expected a URL such as `https://example.org/report`' }).optional(),
  /** The source through which this one reaches the pack (a summary, a translation): cited beside it. */
  via: id.optional(),
});

export const packSchema = z.strictObject({
  id,
  languages: z.array(z.string(), { error: 'expected a list of language tags such as `[en, zh-Hant]`' }).min(1),
  locales: z
    .record(
      z.string(),
      z
        .string()
        .max(35, { error: 'a language tag is at most 35 characters' })
        .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})+$/, {
          error: 'expected a BCP 47 tag with a region, such as `en-GB` or `zh-HK`',
        }),
      {
        error: 'expected a map from language to the tag written into the files, such as `{ en: en-GB }`',
      },
    )
    .optional(),
  title: text('a title'),
  subtitle: text('a subtitle').optional(),
  date,
  author: text('an author line').optional(),
  /** Whose policy the briefing analyses (`Washington`): fills `{government}` in the template's strings. */
  government: text('the government whose policy the briefing analyses', 80).optional(),
  bluf: text('the bottom line'),
  /** Per audience: its own bottom line and subtitle, each falling back to the pack's. */
  perAudience: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'an audience id uses lowercase letters, digits and `-` only' }),
      z.strictObject({ bluf: text('a bottom line').optional(), subtitle: text('a subtitle').optional() }),
      { error: 'expected a map from audience id to `{ bluf: …, subtitle: … }`' },
    )
    .optional(),
  modules: z
    .array(id)
    .max(MAX_MODULES, { error: `a pack has at most ${MAX_MODULES.toLocaleString('en')} modules` })
    .optional(),
  sources: z.array(sourceSchema).min(1, { error: 'a pack needs at least one source' }),
  glossary: z
    .array(z.object({ definition: text('a definition').optional() }).catchall(z.string().min(1)), {
      error: 'expected a list of `{ en: …, zh-Hant: … }` entries',
    })
    .optional(),
});

/**
 * The id (or ids) of general entries this one says again for its `audiences`, in their words:
 * they see this one instead, so it is said once.
 */
const replaces = z.union([id, z.array(id).min(1).max(20)], {
  error: 'expected the `id` of an entry in this module, or a list of them such as `[cost, reach]`',
});

export const pointSchema = z.strictObject({
  /** A name for the point, so an audience's own version of it can replace it (`replaces`). */
  id: id.optional(),
  text: text('the point'),
  priority,
  source: sourceRef.optional(),
  audiences: audiences.optional(),
  replaces: replaces.optional(),
});

// A chart's lists are capped at 12 here, the most any kind may show (see `chartProblems` in
// load-pack.ts for each kind's limit and why), so that a list of thousands is one error at the
// list rather than one per entry. YAML's `.inf` and `.nan` are numbers that z.number() refuses.
export const chartSchema = z.strictObject({
  kind: z.enum(CHART_KINDS, { error: 'a chart kind is `bar`, `column`, `line` or `pie`' }),
  title: text('a chart title').optional(),
  unit: text('a unit').optional(),
  categories: z
    .array(text('a category'), { error: 'expected a list of category names' })
    .min(1, { error: 'a chart needs at least one category' })
    .max(12, {
      error:
        'a chart shows at most 12 categories (a pie 6 parts): chart the largest and add up the rest as one, such as `Other`',
    }),
  values: z
    .array(
      z.number({
        error: (issue) =>
          typeof issue.input === 'number'
            ? 'chart values must be finite numbers, not `.inf` or `.nan`: write the measured value, such as `50` or `12.5`'
            : 'chart values are numbers such as `50` or `12.5`',
      }),
      { error: 'expected a list of numbers such as `[50, 50]`' },
    )
    .min(1, { error: 'a chart needs at least one value' })
    .max(12, { error: 'a chart shows at most 12 values, one per category' }),
  max: z
    .number({
      error: (issue) =>
        typeof issue.input === 'number'
          ? 'the axis maximum must be a finite number, not `.inf` or `.nan`: leave `max` out to fit the data'
          : 'the axis maximum is a number such as `100`',
    })
    .positive({ error: 'the axis maximum must be above 0' })
    .max(1e15, { error: 'the axis maximum must be at most 10^15 (`1e15`): chart in a larger unit, such as `billion`' })
    .optional(),
  alt: text('alternative text').optional(),
});

export const factSchema = z.strictObject({
  /** A name for the fact, so a judgment can cite it as its evidence. */
  id: id.optional(),
  value: text('the figure'),
  label: text('the label of the figure'),
  source: sourceRef.optional(),
  audiences: audiences.optional(),
  chart: chartSchema.optional(),
});

export const quoteSchema = z.strictObject({
  text: text('the quotation'),
  by: text('who said it'),
  source: sourceRef.optional(),
  paraphrased: z.boolean({ error: 'expected `true` or `false`' }).optional(),
  audiences: audiences.optional(),
});

/** One of the choices a recommendation leaves open, with what speaks for and against it. */
export const optionSchema = z.strictObject({
  text: text('the option', 1_000),
  pros: text('what speaks for the option', 1_000),
  cons: text('what speaks against the option', 1_000),
});

export const recommendationSchema = z.strictObject({
  /** A name for the recommendation, so an audience's own version of it can replace it. */
  id: id.optional(),
  text: text('the recommendation'),
  /** The ask in a few words, for the closing list of decisions. */
  short: text('the short form of a recommendation', 120).optional(),
  /** Who acts, and by when, where the source says. */
  owner: text('the owner of a recommendation', 200).optional(),
  timing: text('the timing of a recommendation', 200).optional(),
  /** Whether it is for the home government to do alone, or to do with other countries. */
  kind: z
    .enum(['domestic', 'international'], {
      error:
        "a recommendation's kind is `domestic` (the government acts alone) or `international` (with other countries)",
    })
    .optional(),
  /** The choice the options answer, as a slide title ("Chip exports: keep them tight, or loosen them for partners?"). */
  question: text('the question the options answer', 200).optional(),
  options: z
    .array(optionSchema)
    .min(2, { error: 'options are a choice: give at least two, each with its pros and cons' })
    .max(4, { error: 'a recommendation offers at most 4 options' })
    .optional(),
  priority: priority.optional(),
  source: sourceRef.optional(),
  audiences: audiences.optional(),
  replaces: replaces.optional(),
});

/** A module's claim in one sentence, and the fact that is its strongest evidence. */
export const judgmentSchema = z.strictObject({
  text: text('the judgment', 1_000),
  evidence: id.optional(),
  /** The points the judgment states: where it is shown, they are not said again. */
  replaces: replaces.optional(),
});

export const moduleSchema = z.strictObject({
  id,
  title: text('a title'),
  summary: text('the summary'),
  judgment: judgmentSchema.optional(),
  /** Where the module stands in every briefing: first (why it matters), last (the synthesis before the ask), or by relevance. */
  place: z
    .enum(['opening', 'closing'], {
      error: "a module's place is `opening` (it says why the subject matters) or `closing` (it sums up before the ask)",
    })
    .optional(),
  relevance: z
    .record(
      id,
      z
        .number({ error: 'relevance is a number from 0 to 1' })
        .min(0, { error: 'relevance is a number from 0 to 1' })
        .max(1, { error: 'relevance is a number from 0 to 1' }),
    )
    .optional(),
  points: z.array(pointSchema).min(1, { error: 'a module needs at least one point' }),
  facts: z.array(factSchema).optional(),
  quotes: z.array(quoteSchema).optional(),
  recommendations: z.array(recommendationSchema).optional(),
  notes: text('speaker notes', MAX_NOTES).optional(),
});

/** Every key the format knows, for "did you mean" hints. */
export const KNOWN_KEYS = [
  ...Object.keys(packSchema.shape),
  ...Object.keys(sourceSchema.shape),
  ...Object.keys(moduleSchema.shape),
  ...Object.keys(pointSchema.shape),
  ...Object.keys(quoteSchema.shape),
  ...Object.keys(factSchema.shape),
  ...Object.keys(chartSchema.shape),
  ...Object.keys(recommendationSchema.shape),
  ...Object.keys(optionSchema.shape),
  ...Object.keys(judgmentSchema.shape),
  'family',
  'given',
  'organisation',
];

export type RawPack = z.infer<typeof packSchema>;
export type RawModule = z.infer<typeof moduleSchema>;
export type RawText = string | Record<string, string>;
