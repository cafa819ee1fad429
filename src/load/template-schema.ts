// The formats of theme.yaml, strings/<lang>.yaml and audiences/<id>.yaml.
import { z } from 'zod';

const hex = z.string().regex(/^[0-9A-Fa-f]{6}$/, { error: 'a colour is six hex digits such as `13294B`' });
const positive = z.number().positive({ error: 'expected a positive number of points' });
const fontFiles = z.strictObject({
  face: z.string().min(1),
  regular: z.string().min(1),
  bold: z.string().min(1),
  italic: z.string().min(1),
  boldItalic: z.string().min(1),
  eaFace: z.string().min(1).optional(),
  ea: z.strictObject({ regular: z.string().min(1), bold: z.string().min(1) }).optional(),
  preferEa: z.boolean().optional(),
});
const role = z.strictObject({
  max: positive,
  min: positive,
  lineHeight: z.number().min(0.8).max(3),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
  caps: z.boolean().optional(),
  letterSpacing: z.number().min(0).max(20).optional(),
  paragraphSpace: z.number().min(0).max(3).optional(),
  heading: z.boolean().optional(),
});
const langKey = z.enum(['en', 'zh-Hant', 'zh-Hans']);

export const themeSchema = z.strictObject({
  colors: z.strictObject({ primary: hex, accent: hex, ink: hex, muted: hex, rule: hex, panel: hex, inverse: hex, inverseMuted: hex, marking: hex, chart: z.array(hex).min(1).optional() }),
  fonts: z.partialRecord(langKey, z.strictObject({ deck: fontFiles, memo: fontFiles, deckHeadings: fontFiles.optional(), memoHeadings: fontFiles.optional() })),
  logo: z.strictObject({ file: z.string().regex(/\.(png|jpe?g)$/i, { error: 'the logo must be a PNG or JPEG file' }), width: positive }).optional(),
  footerText: z.partialRecord(z.enum(['en', 'zh-Hant', 'zh-Hans', '*']), z.string()).optional(),
  deck: z.strictObject({
    width: positive,
    height: positive,
    margin: z.strictObject({ left: positive, right: positive }),
    fit: z.strictObject({ widthReserve: z.number().min(0).max(0.3), spareLines: z.number().min(0).max(3) }),
    roles: z.record(z.string(), role),
    bullet: z.strictObject({ char: z.string().min(1).max(2), indent: positive }),
    lineHeightScale: z.partialRecord(langKey, z.number().min(0.8).max(2)).optional(),
  }),
  memo: z.strictObject({
    page: z.partialRecord(langKey, z.enum(['letter', 'a4'])),
    margin: z.strictObject({ top: positive, bottom: positive, left: positive, right: positive }),
    bodySizes: z.array(z.number().min(6).max(20)).min(1),
    lineHeight: z.number().min(1).max(3),
    lineHeightScale: z.partialRecord(langKey, z.number().min(0.8).max(2)).optional(),
    justify: z.partialRecord(langKey, z.boolean()).optional(),
    maxJustifySpacing: z.number().min(0).max(1).optional(),
    minLastPageFill: z.number().min(0).max(1),
  }),
});

export const stringsSchema = z.strictObject({
  lang: z.string(),
  dateFormat: z.enum(['long', 'iso']),
  dateLocale: z.string().optional(),
  deck: z.record(z.string(), z.string()),
  memo: z.record(z.string(), z.string()),
  punct: z.record(z.string(), z.string()),
  citation: z.record(z.string(), z.string()),
});

const text = z.union([z.string(), z.record(z.string(), z.string())]);
const order = z.enum(['pack', 'relevance'], { error: 'expected `pack` or `relevance`' });
export const audienceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'an id uses lowercase letters, digits and `-` only' }),
  label: text,
  description: text,
  marking: text.optional(),
  deck: z
    .strictObject({
      sections: z
        .array(z.enum(['summary', 'agenda', 'modules', 'recommendations', 'glossary', 'sources'], { error: 'sections are summary, agenda, modules, recommendations, glossary and sources' }))
        .min(1)
        .optional(),
      moduleOrder: order.optional(),
      judgments: z.number().int().min(1).max(12).optional(),
      sidePanel: z.enum(['figures', 'recommendations'], { error: 'expected `figures` or `recommendations`' }).optional(),
      weights: z.strictObject({ parts: z.number().min(0).optional(), figures: z.number().min(0).optional(), quotes: z.number().min(0).optional(), recommendations: z.number().min(0).optional() }).optional(),
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
];
