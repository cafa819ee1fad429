// Language tags as users type them (`zh-TW`, `ZH-hant`, `en-US`) → the tool's language ids.
import { LANGS, type Lang } from '../model/lang.js';

const ALIASES: Readonly<Record<string, Lang>> = Object.freeze({
  en: 'en',
  'en-us': 'en',
  'en-gb': 'en',
  'zh-hant': 'zh-Hant',
  'zh-tw': 'zh-Hant',
  'zh-hk': 'zh-Hant',
  'zh-mo': 'zh-Hant',
  'zh-hant-tw': 'zh-Hant',
  'zh-hans': 'zh-Hans',
  'zh-cn': 'zh-Hans',
  'zh-sg': 'zh-Hans',
  'zh-hans-cn': 'zh-Hans',
});

export function parseLang(input: string): Lang | null {
  const key = input.trim().toLowerCase().replace(/_/g, '-');
  // Own keys only: `--lang constructor` is an unknown language, not Object's constructor.
  return Object.hasOwn(ALIASES, key) ? ALIASES[key]! : null;
}

export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}
