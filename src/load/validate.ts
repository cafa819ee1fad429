// Checks parsed YAML against a schema and turns every problem into a diagnostic at its place.
import type { ZodType } from 'zod';
import { type Diagnostic, error } from '../model/diagnostic.js';
import { printable } from '../printable.js';
import type { Path, YamlFile } from './read-yaml.js';

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  errors?: Issue[][];
}

/** Problems reported per file; past this, one line says how many more (finding a place costs time). */
const MAX_REPORTED = 50;
/** Unknown keys reported per map. */
const MAX_UNKNOWN_KEYS = 20;

export function validateYaml<T>(
  schema: ZodType<T>,
  file: YamlFile,
  knownKeys: readonly string[],
): { value: T | null; diagnostics: Diagnostic[] } {
  const data = withoutExtensionKeys(file.value);
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data, diagnostics: [] };
  const issues = result.error.issues as unknown as Issue[];
  const foreign = notThisFormat(issues, data, keysAt(schema, []));
  if (foreign)
    return {
      value: null,
      diagnostics: [
        error(
          'wrong-file',
          `\`${file.file}\` is not a file of this kind: none of its keys is one the format has`,
          file.spanAt([]),
          foreign,
        ),
      ],
    };
  const diagnostics: Diagnostic[] = [];
  let more = 0;
  for (const issue of issues) {
    if (diagnostics.length >= MAX_REPORTED) {
      more += issue.code === 'unrecognized_keys' ? (issue.keys?.length ?? 1) : 1;
      continue;
    }
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    diagnostics.push(...issueToDiagnostics(issue, path, data, file, keysAt(schema, path) ?? knownKeys));
  }
  const out = dedupe(diagnostics);
  if (more > 0)
    out.push(
      error(
        'too-many-problems',
        `… and ${more.toLocaleString('en')} more problem${more === 1 ? '' : 's'} in this file`,
        { file: file.file, line: 1, col: 1 },
        'fix the ones above first',
      ),
    );
  return { value: null, diagnostics: out };
}

/**
 * A hint when the file is not of this format at all (every top-level key unknown, as in a copy of
 * `/etc/passwd`): one error instead of quoting its lines back as key names.
 */
function notThisFormat(issues: readonly Issue[], data: unknown, keys: readonly string[] | null): string | null {
  if (!keys || data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const own = Object.keys(data);
  // Several keys, none of them the format's or a typo of one of them.
  if (own.length < 4 || own.some((k) => keys.includes(k) || closest(k, keys) !== null)) return null;
  if (!issues.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0)) return null;
  return `its keys are ${keys
    .slice(0, 12)
    .map((k) => `\`${k}\``)
    .join(', ')}${keys.length > 12 ? ', …' : ''}`;
}

function issueToDiagnostics(
  issue: Issue,
  path: Path,
  data: unknown,
  file: YamlFile,
  knownKeys: readonly string[],
): Diagnostic[] {
  const where = describePath(path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys ?? [];
    const rest = keys.length - MAX_UNKNOWN_KEYS;
    const shown = keys.slice(0, MAX_UNKNOWN_KEYS).map((key) => {
      // `knownKeys` are this map's own keys where the schema tells them: a key that belongs
      // elsewhere is not "did you mean" itself.
      const suggestion = closest(
        key,
        knownKeys.filter((k) => k !== key),
      );
      const hints = suggestion ? [`did you mean \`${suggestion}\`?`] : [];
      if (knownKeys.length > 0 && knownKeys.length <= 16)
        hints.push(`the keys here are ${knownKeys.map((k) => `\`${k}\``).join(', ')}`);
      hints.push('keys starting with `x-` are ignored, for your own notes');
      return error(
        'unknown-key',
        `unknown key \`${printable(key, 40)}\`${where ? ` in ${where}` : ''}`,
        file.spanAt([...path, key], true),
        ...hints,
      );
    });
    if (rest > 0)
      shown.push(
        error(
          'unknown-key',
          `… and ${rest.toLocaleString('en')} more unknown keys${where ? ` in ${where}` : ''}`,
          file.spanAt(path),
          'keys starting with `x-` are ignored, for your own notes',
        ),
      );
    return shown;
  }
  const value = valueAt(data, path);
  if (value === undefined && path.length > 0) {
    const key = path[path.length - 1];
    return [
      error(
        'missing-key',
        `missing \`${String(key)}\`${path.length > 1 ? ` in ${describePath(path.slice(0, -1))}` : ''}`,
        file.spanAt(path.slice(0, -1)),
        `add \`${String(key)}:\``,
      ),
    ];
  }
  if (
    issue.code === 'invalid_union' &&
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).some((v) => v === null)
  ) {
    // `{ en: one, two }` is a map with the key `two`: YAML splits flow maps at commas.
    return [
      error(
        'invalid-value',
        `\`${where}\`: text with a comma inside \`{ … }\` must be quoted`,
        file.spanAt(path),
        'write `{ en: "one, two" }` with quotes',
      ),
    ];
  }
  let message = issue.message;
  if (issue.code === 'invalid_type' && message.startsWith('Invalid input')) {
    message = `expected ${article(issue.expected ?? 'value')}, got ${describeValue(value)}`;
  } else if (issue.code === 'too_small' && Array.isArray(value) && message.startsWith('Too small')) {
    message = 'the list must not be empty';
  }
  return [error('invalid-value', `${where ? `\`${where}\`: ` : ''}${lowerFirst(message)}`, file.spanAt(path))];
}

type Def = {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: unknown[];
  in?: unknown;
};
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** Through optional, nullable, default and pipe wrappers to the schema that checks the value. */
function unwrap(schema: unknown): unknown {
  let cur = schema;
  for (let i = 0; i < 16; i++) {
    const def = defOf(cur);
    if (
      def &&
      (def.type === 'optional' ||
        def.type === 'nullable' ||
        def.type === 'default' ||
        def.type === 'catch' ||
        def.type === 'readonly')
    )
      cur = def.innerType;
    else if (def?.type === 'pipe') cur = def.in;
    else break;
  }
  return cur;
}

/** The keys the object schema at `path` allows, when the schema says so plainly (null otherwise). */
export function keysAt(schema: unknown, path: Path): string[] | null {
  let cur = unwrap(schema);
  for (const p of path) {
    const def = defOf(cur);
    if (def?.type === 'object' && typeof p === 'string' && def.shape && Object.hasOwn(def.shape, p))
      cur = unwrap(def.shape[p]);
    else if (def?.type === 'array' && typeof p === 'number') cur = unwrap(def.element);
    else if (def?.type === 'record') cur = unwrap(def.valueType);
    else if (def?.type === 'union') {
      const objects = (def.options ?? []).map(unwrap).filter((o) => defOf(o)?.type === 'object');
      if (objects.length !== 1) return null;
      cur = objects[0];
      if (typeof p === 'string' && defOf(cur)?.shape && Object.hasOwn(defOf(cur)!.shape!, p))
        cur = unwrap(defOf(cur)!.shape![p]);
      else return null;
    } else return null;
  }
  const def = defOf(cur);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : null;
}

/** Remove `x-…` keys everywhere: they are the user's own annotations. */
export function withoutExtensionKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtensionKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    // No prototype: a key named like one of Object's (`constructor`, `toString`) is only a key.
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) if (!k.startsWith('x-')) out[k] = withoutExtensionKeys(v);
    return out;
  }
  return value;
}

function valueAt(data: unknown, path: Path): unknown {
  let cur: unknown = data;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, p)) return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

export function describePath(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p + 1}]` : out ? `.${p}` : p;
  return out;
}

function describeValue(v: unknown): string {
  if (v === null) return 'nothing (`null`)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `the text \`${v.length > 40 ? `${v.slice(0, 40)}…` : v}\``;
  return `\`${String(v)}\``;
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    boolean: '`true` or `false`',
    array: 'a list',
    object: 'a map',
    record: 'a map',
  };
  return names[type] ?? type;
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.span?.line}:${d.span?.col}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The known word closest to `word`, when it is close enough to be a typo. */
export function closest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
