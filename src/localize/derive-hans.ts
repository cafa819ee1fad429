// Simplified Chinese derived from Traditional: OpenCC's Taiwan-phrase → mainland conversion
// (軟體 → 软件), with glossary terms protected from it (OpenCC over-converts some terms, e.g.
// 建立 → 创建) and replaced by their fixed zh-Hans forms, and 「」『』 turned into “” ‘’.
import { createRequire } from 'node:module';
import type { GlossaryEntry } from '../model/content.js';

export type Converter = (text: string) => string;

/** OpenCC `twp → cn`, loaded only when Simplified Chinese is derived. */
export function openccTaiwanToMainland(): Converter {
  const require = createRequire(import.meta.url);
  const opencc = require('opencc-js/t2cn') as { Converter(o: { from: string; to: string }): Converter };
  return opencc.Converter({ from: 'twp', to: 'cn' });
}

const QUOTES: Readonly<Record<string, string>> = Object.freeze({ '「': '“', '」': '”', '『': '‘', '』': '’' });
// Placeholders from the Private Use Area: OpenCC leaves them alone.
const OPEN = '\uE000';
const CLOSE = '\uE001';

export function deriveHans(text: string, glossary: readonly GlossaryEntry[], convert: Converter): string {
  const terms = glossary
    .map((g) => ({ hant: g.terms['zh-Hant'], hans: g.terms['zh-Hans'] }))
    .filter((t): t is { hant: string; hans: string | undefined } => Boolean(t.hant))
    .sort((a, b) => b.hant.length - a.hant.length);
  let protectedText = text;
  terms.forEach((t, i) => {
    protectedText = protectedText.split(t.hant).join(`${OPEN}${String.fromCharCode(0xe100 + i)}${CLOSE}`);
  });
  const converted = convert(protectedText);
  const restored = converted.replace(new RegExp(`${OPEN}([\\uE100-\\uEFFF])${CLOSE}`, 'g'), (_, ch: string) => {
    const t = terms[ch.charCodeAt(0) - 0xe100]!;
    return t.hans ?? convert(t.hant);
  });
  return restored.replace(/[「」『』]/g, (q) => QUOTES[q]!);
}
