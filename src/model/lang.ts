// The output languages the tool knows, and how each is written into the files.
export const LANGS = ['en', 'zh-Hant', 'zh-Hans'] as const;
export type Lang = (typeof LANGS)[number];

/** BCP 47 tags written on every PPTX run and into the PDF metadata. */
export const LANG_TAGS: Readonly<Record<Lang, string>> = Object.freeze({
  en: 'en-US',
  'zh-Hant': 'zh-TW',
  'zh-Hans': 'zh-CN',
});

export const AUDIENCES = ['policymaker', 'security', 'industry', 'partners', 'public'] as const;
