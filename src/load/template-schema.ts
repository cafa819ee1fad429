// The formats of theme.yaml, strings/<lang>.yaml and audiences/<id>.yaml.
import { contrastRatio } from './contrast.js';
import { z } from 'zod';
import { type Diagnostic, error, warning } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';
import type { RoleStyle } from '../model/theme.js';
import { printable } from '../printable.js';

/**
 * A colour: six hex digits, with or without `#` (`0B2545`, `#0B2545`), kept as six upper-case
 * digits. An unquoted `#0B2545` is a YAML comment, so the key has no value: the error says so.
 */
const hex = z
  .string({
    error: (issue) =>
      issue.input === null || issue.input === undefined
        ? 'no colour here: in YAML an unquoted `#0B2545` starts a comment; write it in quotes (`"#0B2545"`) or without the `#`'
        : 'a colour is six hex digits such as `13294B` or `"#13294B"`',
  })
  .regex(/^#?[0-9A-Fa-f]{6}$/, { error: 'a colour is six hex digits such as `13294B` or `"#13294B"`' })
  .transform((v) => v.replace(/^#/, '').toUpperCase());
/** Words a template shows (labels, footers, strings): up to `max` characters. */
const words = (max: number) => z.string().max(max, { error: `at most ${max.toLocaleString('en')} characters` });
/** A length in points within a range that a page or slide can show. */
const points = (min: number, max: number) =>
  z
    .number({ error: 'expected a number of points' })
    .min(min, { error: `expected at least ${min} points` })
    .max(max, { error: `expected at most ${max} points` });
/**
 * A typeface name as PowerPoint writes it into its XML (`Calibri`, `Microsoft JhengHei`,
 * `微軟正黑體`): no quotes, angle brackets, ampersands or control characters, which no font name
 * needs and which would otherwise have to survive every XML writer on the way.
 */
const faceName = z
  .string()
  .min(1)
  .max(64, { error: 'a typeface name is at most 64 characters' })
  .regex(/^[^\u0000-\u001f\u007f-\u009f"'<>&]+$/, {
    error: 'a typeface name has no quotes, `<`, `>`, `&` or control characters',
  });
const fontFiles = z.strictObject({
  face: faceName,
  regular: z.string().min(1),
  bold: z.string().min(1),
  italic: z.string().min(1),
  boldItalic: z.string().min(1),
  eaFace: faceName.optional(),
  ea: z.strictObject({ regular: z.string().min(1), bold: z.string().min(1) }).optional(),
  preferEa: z.boolean().optional(),
});
const role = z.strictObject({
  max: points(4, 300),
  min: points(4, 300),
  lineHeight: z.number().min(0.8).max(3),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
  caps: z.boolean().optional(),
  letterSpacing: z.number().min(0).max(20).optional(),
  paragraphSpace: z.number().min(0).max(3).optional(),
  heading: z.boolean().optional(),
  steps: z.union([z.string().max(40), z.array(points(4, 300)).min(1).max(12)]).optional(),
});
const langKey = z.enum(['en', 'zh-Hant', 'zh-Hans']);

export const themeSchema = z.strictObject({
  colors: z.strictObject({
    primary: hex,
    accent: hex,
    ink: hex,
    muted: hex,
    rule: hex,
    panel: hex,
    inverse: hex,
    inverseMuted: hex,
    marking: hex,
    chart: z.array(hex).min(1).optional(),
  }),
  fonts: z.partialRecord(
    langKey,
    z.strictObject({
      deck: fontFiles,
      memo: fontFiles,
      deckHeadings: fontFiles.optional(),
      memoHeadings: fontFiles.optional(),
    }),
  ),
  logo: z
    .strictObject({
      file: z
        .string()
        .max(255)
        .regex(/\.(png|jpe?g)$/i, { error: 'the logo must be a PNG or JPEG file' }),
      width: points(4, 600),
    })
    .optional(),
  footerText: z.partialRecord(z.enum(['en', 'zh-Hant', 'zh-Hans', '*']), words(300)).optional(),
  reference: z
    .string()
    .max(255)
    .regex(/\.(potx|pptx)$/i, { error: 'the reference must be a PowerPoint template or presentation (.potx or .pptx)' })
    .optional(),
  deck: z.strictObject({
    // PowerPoint's own limits for a slide: 1 to 56 inches.
    width: points(72, 4032),
    height: points(72, 4032),
    margin: z.strictObject({ left: points(0, 1000), right: points(0, 1000) }),
    fit: z.strictObject({ widthReserve: z.number().min(0).max(0.3), spareLines: z.number().min(0).max(3) }),
    scale: z.record(z.string().max(40), z.array(points(4, 300)).min(1).max(12)).optional(),
    roles: z.record(z.string(), role),
    bullet: z.strictObject({
      char: z
        .string()
        .min(1)
        .max(2)
        .regex(/^[^\u0000-\u0020\u007f-\u00a0\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]+$/, {
          error: 'a bullet is a visible character',
        }),
      indent: points(1, 72),
    }),
    lineHeightScale: z.partialRecord(langKey, z.number().min(0.8).max(2)).optional(),
  }),
  memo: z.strictObject({
    page: z.partialRecord(langKey, z.enum(['letter', 'a4'])).default({}),
    margin: z.strictObject({
      top: points(0, 300),
      bottom: points(0, 300),
      left: points(0, 250),
      right: points(0, 250),
    }),
    bodySizes: z.array(z.number().min(6).max(20)).min(1),
    lineHeight: z.number().min(1).max(3),
    lineHeightScale: z.partialRecord(langKey, z.number().min(0.8).max(2)).optional(),
    justify: z.partialRecord(langKey, z.boolean()).optional(),
    maxJustifySpacing: z.number().min(0).max(1).optional(),
    minLastPageFill: z.number().min(0).max(1),
  }),
});

/** What the schema cannot say about a theme: ranges that must hold between its numbers. */
export function themeProblems(
  theme: z.infer<typeof themeSchema>,
  spanAt: (path: readonly (string | number)[]) => Span,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  out.push(...contrastProblems(theme.colors, spanAt));
  for (const [name, r] of Object.entries(theme.deck.roles)) {
    if (r.min > r.max)
      out.push(
        error(
          'invalid-value',
          `\`deck.roles.${printable(name, 40)}\`: \`min\` (${r.min}) is larger than \`max\` (${r.max})`,
          spanAt(['deck', 'roles', name, 'min']),
          'a role is set between its `min` and `max` sizes: make `min` the smaller one',
        ),
      );
    else if (r.steps !== undefined) {
      const scale = theme.deck.scale ?? {};
      if (typeof r.steps === 'string' && !Object.hasOwn(scale, r.steps)) {
        const names = Object.keys(scale);
        out.push(
          error(
            'invalid-value',
            `\`deck.roles.${printable(name, 40)}.steps\`: the type scale has no \`${printable(r.steps, 40)}\``,
            spanAt(['deck', 'roles', name, 'steps']),
            names.length > 0
              ? `name one of ${names.map((n) => `\`${printable(n, 40)}\``).join(', ')}, or list the sizes`
              : 'add `deck.scale`, or list the sizes',
          ),
        );
      } else if (stepsOf(r, scale).length === 0) {
        out.push(
          error(
            'invalid-value',
            `\`deck.roles.${printable(name, 40)}.steps\`: no step lies between \`min\` (${r.min}) and \`max\` (${r.max})`,
            spanAt(['deck', 'roles', name, 'steps']),
            'give the role at least one size of the scale between its `min` and `max`',
          ),
        );
      }
    }
  }
  const d = theme.deck;
  if (d.margin.left + d.margin.right > d.width * 0.6)
    out.push(
      error(
        'invalid-value',
        `\`deck.margin\`: the left and right margins (${d.margin.left + d.margin.right} pt) leave too little of the ${d.width} pt slide`,
        spanAt(['deck', 'margin']),
        'keep the margins under 60 % of the slide width together',
      ),
    );
  const m = theme.memo.margin;
  // The smallest page the memo can use (A4 is narrower, Letter shorter).
  if (m.left + m.right > 595 * 0.6 || m.top + m.bottom > 792 * 0.6)
    out.push(
      error(
        'invalid-value',
        '`memo.margin`: the margins leave too little of the page',
        spanAt(['memo', 'margin']),
        'keep the margins under 60 % of the page together',
      ),
    );
  return out;
}

/**
 * The sizes a role may be set in, largest first: its steps of the type scale between its `min`
 * and `max`; an empty list when the role has no steps.
 */
export function stepsOf(
  role: Pick<RoleStyle, 'min' | 'max' | 'steps'>,
  scale: Readonly<Record<string, number[]>>,
): number[] {
  if (role.steps === undefined) return [];
  const all =
    typeof role.steps === 'string' ? (Object.hasOwn(scale, role.steps) ? scale[role.steps]! : []) : role.steps;
  return [...new Set(all.filter((s) => s >= role.min && s <= role.max))].sort((a, b) => b - a);
}

export const stringsSchema = z.strictObject({
  lang: words(35),
  dateFormat: z.enum(['long', 'iso']),
  dateLocale: words(35).optional(),
  deck: z.record(z.string(), words(2_000)),
  memo: z.record(z.string(), words(2_000)),
  punct: z.record(z.string(), words(2_000)),
  citation: z.record(z.string(), words(2_000)),
});

const text = z.union([words(500), z.record(z.string(), words(500))]);
const order = z.enum(['pack', 'relevance'], { error: 'expected `pack` or `relevance`' });
export const audienceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'an id uses lowercase letters, digits and `-` only' }),
  /** Another audience this one starts from: its settings, and the pack's relevance and items for it. */
  extends: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'an audience id uses lowercase letters, digits and `-` only' })
    .optional(),
  label: text,
  description: text,
  marking: text.optional(),
  recommendationKinds: z
    .array(z.enum(['domestic', 'international'], { error: 'a kind is `domestic` or `international`' }))
    .min(1)
    .optional(),
  deck: z
    .strictObject({
      sections: z
        .array(
          z.enum(['summary', 'agenda', 'modules', 'recommendations', 'glossary', 'sources'], {
            error: 'sections are summary, agenda, modules, recommendations, glossary and sources',
          }),
        )
        .min(1)
        .optional(),
      moduleOrder: order.optional(),
      judgments: z.number().int().min(1).max(12).optional(),
      sidePanel: z
        .enum(['figures', 'recommendations'], { error: 'expected `figures` or `recommendations`' })
        .optional(),
      weights: z
        .strictObject({
          parts: z.number().min(0).optional(),
          figures: z.number().min(0).optional(),
          quotes: z.number().min(0).optional(),
          recommendations: z.number().min(0).optional(),
          options: z.number().min(0).optional(),
        })
        .optional(),
    })
    .optional(),
  memo: z
    .strictObject({
      to: text.optional(),
      footer: text.optional(),
      judgments: z.number().int().min(1).max(12).optional(),
      moduleOrder: order.optional(),
      glossary: z.boolean().optional(),
      charts: z.enum(['first', 'supporting', 'none'], { error: 'expected `first`, `supporting` or `none`' }).optional(),
      recommendations: z.number().int().min(0).max(12).optional(),
    })
    .optional(),
});

export const TEMPLATE_KEYS = [
  ...Object.keys(themeSchema.shape),
  ...Object.keys(themeSchema.shape.colors.shape),
  ...Object.keys(themeSchema.shape.deck.shape),
  ...Object.keys(themeSchema.shape.memo.shape),
  ...Object.keys(audienceSchema.shape),
  'sections',
  'moduleOrder',
  'judgments',
  'weights',
  'sidePanel',
  'footer',
  'glossary',
  'face',
  'regular',
  'bold',
  'italic',
  'boldItalic',
  'max',
  'min',
  'lineHeight',
  'scale',
  'steps',
];

/**
 * The colour pairs the outputs set text in, with the WCAG AA minimum for their size: 4.5:1 for
 * body-size text, 3:1 for large text (titles, key figures). A pair below it is a warning (an error
 * under `--strict`) naming the roles and the ratio.
 */
const TEXT_PAIRS: readonly [text: string, on: string, minimum: number, where: string][] = [
  ['ink', 'white', 4.5, 'body text'],
  ['muted', 'white', 4.5, 'leads, footers and sources'],
  ['accent', 'white', 4.5, 'kickers and labels'],
  ['primary', 'white', 3, 'titles'],
  ['ink', 'panel', 4.5, 'text on cards and the bottom-line panel'],
  ['inverse', 'primary', 4.5, 'text on the title slide'],
  ['inverseMuted', 'primary', 4.5, "the title slide's lines under the title"],
  ['marking', 'white', 4.5, 'handling banners'],
];

function contrastProblems(
  colors: Record<string, unknown>,
  spanAt: (path: readonly (string | number)[]) => Span,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const value = (role: string) =>
    role === 'white' ? 'FFFFFF' : typeof colors[role] === 'string' ? (colors[role] as string) : null;
  for (const [text, on, minimum, where] of TEXT_PAIRS) {
    const [fg, bg] = [value(text), value(on)];
    if (!fg || !bg) continue;
    const ratio = contrastRatio(fg, bg);
    if (ratio + 1e-9 >= minimum) continue;
    out.push(
      warning(
        'low-contrast',
        `\`colors.${text}\` (${fg}) on ${on === 'white' ? 'white' : `\`colors.${on}\` (${bg})`} is ${ratio.toFixed(1)}:1, below the ${minimum}:1 that ${where} need to be readable (WCAG AA)`,
        spanAt(['colors', text]),
        `darken \`colors.${text}\`${on === 'white' ? '' : ` or change \`colors.${on}\``} until the pair reaches ${minimum}:1`,
      ),
    );
  }
  return out;
}
