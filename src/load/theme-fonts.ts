// The fonts of one theme.yaml layer, before the layers are merged: `fonts: { '*': … }` sets a face
// for every language at once (a language's own entry still wins), and an entry that names a face
// without the files to measure it, or only some of its four styles, is said out loud rather than
// silently measured with the files of the layer underneath.
import { type Diagnostic, warning } from '../model/diagnostic.js';
import { LANGS } from '../model/lang.js';
import { printable } from '../printable.js';
import type { YamlFile } from './read-yaml.js';

const STYLES = ['regular', 'bold', 'italic', 'boldItalic'] as const;

/** Faces with the same widths (metric-compatible): measuring one with another's files is exact. */
const TWINS: readonly (readonly string[])[] = [
  ['calibri', 'carlito'],
  ['cambria', 'caladea'],
  ['arial', 'helvetica', 'arimo', 'liberation sans'],
  ['times new roman', 'tinos', 'liberation serif'],
  ['courier new', 'cousine', 'liberation mono'],
];

export function sameWidths(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  return x === y || TWINS.some((group) => group.includes(x) && group.includes(y));
}

/** `a`, `a and b`, `a, b and c`, each in backticks. */
function words(list: readonly string[], and: string): string {
  const q = list.map((w) => `\`${w}\``);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} ${and} ${q[q.length - 1]}`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * One layer's value with `fonts['*']` merged under each language's own entry, and what is wrong
 * with its font entries. `below` is the theme merged from the layers underneath it.
 */
export function expandThemeFonts(
  value: unknown,
  below: unknown,
  file: YamlFile,
  merge: (base: unknown, over: unknown) => unknown,
): { value: unknown; diagnostics: Diagnostic[] } {
  if (!isObj(value) || !isObj(value.fonts)) return { value, diagnostics: [] };
  const fonts = value.fonts;
  const diagnostics: Diagnostic[] = [];
  const belowFonts = isObj(below) && isObj(below.fonts) ? below.fonts : {};
  for (const [lang, set] of Object.entries(fonts)) {
    if (!isObj(set)) continue;
    for (const [role, entry] of Object.entries(set)) {
      if (!isObj(entry)) continue;
      const at = ['fonts', lang, role];
      const given = STYLES.filter((s) => entry[s] !== undefined);
      if (given.length > 0 && given.length < STYLES.length) {
        const missing = STYLES.filter((s) => entry[s] === undefined);
        diagnostics.push(
          warning(
            'partial-font',
            `\`${at.join('.')}\` gives ${words(given, 'and')} but not ${words(missing, 'or')}: those would be measured and embedded from the fonts underneath, another face`,
            file.spanAt(at, true),
            'give all four styles (the same file twice is allowed when the face has no italic, e.g. `italic: MyFace-Regular.ttf`)',
          ),
        );
        continue;
      }
      if (given.length > 0 || typeof entry.face !== 'string') continue;
      // A face with no files is measured with those underneath: fine for the same widths only.
      const langs = lang === '*' ? LANGS : [lang];
      for (const l of langs) {
        const under = isObj(belowFonts[l]) && isObj(belowFonts[l][role]) ? belowFonts[l][role] : null;
        const underFace = under && typeof under.face === 'string' ? under.face : null;
        if (!underFace || sameWidths(entry.face, underFace)) continue;
        diagnostics.push(
          warning(
            'font-unmeasured',
            `\`${at.join('.')}.face\` is \`${printable(entry.face)}\` but the entry gives no font files: text would be measured with ${printable(underFace)}'s, and may overflow in PowerPoint`,
            file.spanAt([...at, 'face']),
            `add the .ttf or .otf files of ${printable(entry.face)} (or of a font with the same widths) to the template folder and name them: \`regular\`, \`bold\`, \`italic\`, \`boldItalic\``,
          ),
        );
        break;
      }
    }
  }
  if (!isObj(fonts['*'])) return { value, diagnostics };
  const star = fonts['*'];
  const expanded: Obj = Object.create(null);
  for (const [k, v] of Object.entries(fonts)) if (k !== '*') expanded[k] = v;
  for (const l of LANGS) expanded[l] = merge(star, fonts[l]);
  const out: Obj = Object.create(null);
  for (const [k, v] of Object.entries(value)) out[k] = k === 'fonts' ? expanded : v;
  return { value: out, diagnostics };
}
