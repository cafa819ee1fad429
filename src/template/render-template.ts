// template: Plan × Templates × strings → Briefing Markdown.
// Pure. Handlebars, with `{{x}}` escaping for Markdown (not HTML) and strict lookups, so a
// misspelt variable is an error at its template line rather than an empty slide.
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import HandlebarsRuntime from 'handlebars/runtime.js';
import { cacheKey, codeIdentity, readCache, writeCache } from '../disk-cache.js';
import type { ChartSpec } from '../model/chart.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import type { DeckPlan, MemoPlan } from '../model/plan.js';
import type { TemplateFile, Templates } from '../model/templates.js';
import { fill } from '../plan/format.js';
import { printable } from '../printable.js';
import { escapeMarkdown } from './escape-markdown.js';

/**
 * Templates run on Handlebars' runtime. Its compiler (with a source-map library: some 150 KB the
 * CLI would load on every run) is loaded from node_modules only when a template is not in the
 * disk cache as compiled JavaScript: on a first run, or with the cache off.
 */
const Runtime = HandlebarsRuntime as unknown as typeof Handlebars;
const requireFromHere = createRequire(import.meta.url);
let compiler: typeof Handlebars | null = null;
function precompile(source: string): string {
  if (!compiler) {
    const full = requireFromHere('handlebars') as typeof Handlebars;
    compiler = full.create();
    (compiler as unknown as WithCompiler).JavaScriptCompiler = markdownCompiler(full);
  }
  return String(compiler.precompile(source, { strict: true }));
}

/** The compiler class Handlebars uses for `compile`; not in its type definitions. */
type CompilerCtor = unknown;
type WithCompiler = { JavaScriptCompiler: CompilerCtor };

/**
 * A compiler whose `{{x}}` calls our Markdown escaper. Overriding `Utils.escapeExpression` would
 * leak into every Handlebars instance in the process; a compiler subclass stays local.
 */
function markdownCompiler(full: typeof Handlebars): CompilerCtor {
  const Base = (full as unknown as WithCompiler).JavaScriptCompiler as {
    new (...args: unknown[]): object;
    prototype: Record<string, unknown>;
  };
  function MarkdownCompiler(this: object, ...args: unknown[]) {
    Base.apply(this, args);
  }
  MarkdownCompiler.prototype = Object.create(Base.prototype);
  MarkdownCompiler.prototype.compiler = MarkdownCompiler;
  MarkdownCompiler.prototype.appendEscaped = function (this: {
    pushSource(s: unknown): void;
    appendToBuffer(parts: unknown[]): unknown;
    aliasable(s: string): unknown;
    popStack(): unknown;
  }) {
    // Helpers are wrapped to receive an options object last; pass an empty one.
    this.pushSource(
      this.appendToBuffer([this.aliasable('container.helpers.__markdown'), '(', this.popStack(), ', {})']),
    );
  };
  return MarkdownCompiler;
}

/** The helpers templates may use (docs/templates.md). */
export const TEMPLATE_HELPERS: Readonly<Record<string, Handlebars.HelperDelegate>> = {
  __markdown: (value: unknown) => escapeMarkdown(value),
  /** `{{fmt strings.deck.inNumbers module=title}}`: fills `{name}` placeholders. */
  fmt: (template: unknown, options: Handlebars.HelperOptions) =>
    fill(String(template ?? ''), options.hash as Record<string, string>),
  upper: (value: unknown) => String(value ?? '').toUpperCase(),
  inc: (value: unknown) => Number(value) + 1,
  eq: (a: unknown, b: unknown) => a === b,
  /** `{{> (slidePartial layout)}}`: the partial that draws one layout. */
  slidePartial: (layout: unknown) => `slide-${String(layout)}`,
  /**
   * `{{{labelled label text siblings}}}`: a bold run-in label with the language's colon
   * (`**Economy:** `). Where the label or its `text` holds a colon itself, the label is set off with
   * `punct.labelDash` instead, so no line has two colons; given the list the item is in
   * (`../items`), every item of the list takes the dash when one needs it, so the list is alike.
   */
  labelled: (label: unknown, ...rest: unknown[]) => {
    const options = rest[rest.length - 1] as Handlebars.HelperOptions;
    const args = rest.slice(0, -1);
    const hasColon = (v: unknown) => /[:：]/.test(typeof v === 'string' ? v : '');
    const siblings = Array.isArray(args[1]) ? (args[1] as { label?: unknown; text?: unknown }[]) : [];
    const dash = hasColon(label) || hasColon(args[0]) || siblings.some((x) => hasColon(x?.label) || hasColon(x?.text));
    const pu = (options.data?.root?.strings?.punct ?? {}) as Record<string, string>;
    const text = escapeMarkdown(label);
    return dash ? `**${text}**${pu.labelDash ?? ' — '}` : `**${text}${pu.colon ?? ':'}**${pu.labelGap ?? ' '}`;
  },
  /** `{{{cite text note}}}`: the text, escaped, with its note mark (`punct.noteRef`) before the final stop. */
  cite: (text: unknown, note: unknown, options: Handlebars.HelperOptions) =>
    cite(escapeMarkdown(text), typeof note === 'number' ? noteLink(noteMark(options, note), note) : ''),
  /** `{{{chartBlock chart}}}`: a chart as a fenced `chart` block (docs/briefing-markdown.md); a memo chart's title gets its note mark. */
  chartBlock: (chart: unknown, options: Handlebars.HelperOptions) => {
    const c = chart as (ChartSpec & { note?: number | null }) | null;
    // In a memo, the title carries the note mark of the chart's source.
    const mark = typeof c?.note === 'number' ? noteMark(options, c.note) : '';
    return chartBlock(c && mark ? { ...c, title: cite(c.title, mark) } : c);
  },
};

/**
 * Puts a note mark before a sentence's closing stop, as both Chicago's bracketed style and Chinese
 * usage have it (`theft [1].`, `疾病[1]。`); text with no closing stop gets the mark at its end.
 */
export function cite(text: string, mark: string): string {
  if (!mark) return text;
  const m = /[.。．!！?？]+[”’」』)）]*$/u.exec(text);
  return m ? `${text.slice(0, m.index)}${mark}${text.slice(m.index)}` : `${text}${mark}`;
}

/** Note `n`'s mark as the strings write it (`punct.noteRef`). */
function noteMark(options: Handlebars.HelperOptions, n: number): string {
  return fill(String(options.data?.root?.strings?.punct?.noteRef ?? '\u00A0[{n}]'), { n });
}

/** A note mark as a link to its entry in the source list (`#source-1`): `\u00A0[\[1\]](#source-1)`. */
export function noteLink(mark: string, n: number): string {
  const [, space, visible] = /^(\s*)([\s\S]*)$/u.exec(mark)!;
  return `${space}[${visible!.replace(/[[\]\\]/g, '\\$&')}](#source-${n})`;
}

/** A chart block: its data as one line of JSON, with no backquote that could end the fence. */
export function chartBlock(chart: ChartSpec | null): string {
  if (!chart) return '';
  const { kind, title, unit, categories, values, max, alt } = chart;
  return `\`\`\`chart\n${JSON.stringify({ kind, title, unit, categories, values, max, alt }).replace(/`/g, '\\u0060')}\n\`\`\``;
}

interface TemplateError extends Error {
  briefingFile?: string;
  lineNumber?: number;
  column?: number;
}

export interface CompiledTemplates {
  render(plan: DeckPlan | MemoPlan): { markdown: string | null; diagnostics: Diagnostic[] };
}

/** Compiles the templates once; the fitting loop renders many plans with them. */
export function compileTemplates(templates: Templates): {
  compiled: CompiledTemplates | null;
  diagnostics: Diagnostic[];
} {
  const hb = Runtime.create();
  for (const [name, fn] of Object.entries(TEMPLATE_HELPERS)) hb.registerHelper(name, fn);
  // `{{log}}` would write to the terminal; a template may only write its document.
  hb.unregisterHelper('log');
  const budget = limitRepetition(hb);
  const diagnostics: Diagnostic[] = [];
  const compile = (file: TemplateFile) => {
    const reserved = reservedName(file);
    if (reserved) {
      diagnostics.push(reserved);
      return null;
    }
    // Compiled eagerly, so a syntax error is reported against its own file. The compiled
    // JavaScript is kept in the disk cache: an unchanged template is not compiled again.
    const key = `template-${cacheKey(codeIdentity(), file.source)}.js`;
    let template = fromSpec(hb, readCache(key)?.toString('utf8'));
    if (!template) {
      try {
        const spec = precompile(file.source);
        template = fromSpec(hb, spec);
        if (!template) throw new Error('Handlebars produced a template that does not run');
        writeCache(key, spec);
      } catch (cause) {
        diagnostics.push(templateDiagnostic(cause as TemplateError, file));
        return null;
      }
    }
    return (context: unknown, options?: Handlebars.RuntimeOptions) => {
      try {
        // Prototype access stays denied, and denied quietly: Handlebars would otherwise print its
        // own multi-line warning to stderr for `{{text.length}}`; strict mode reports the name.
        return template(context, {
          ...options,
          allowProtoPropertiesByDefault: false,
          allowProtoMethodsByDefault: false,
        });
      } catch (cause) {
        const e = cause as TemplateError;
        e.briefingFile ??= file.file;
        throw e;
      }
    };
  };
  for (const [name, file] of Object.entries(templates.partials)) {
    const fn = compile(file);
    // Every use of a partial counts against the budget: partials that each include the next a
    // few times multiply without any `{{#each}}`.
    if (fn)
      hb.registerPartial(name, ((context: unknown, options?: Handlebars.RuntimeOptions) =>
        budget.count(() => fn(context, options))) as unknown as Handlebars.Template);
  }
  const deck = compile(templates.deck);
  const memo = compile(templates.memo);
  if (!deck || !memo || diagnostics.length > 0) return { compiled: null, diagnostics };
  const render = (plan: DeckPlan | MemoPlan) => {
    const main = plan.type === 'deck' ? templates.deck : templates.memo;
    const fn = plan.type === 'deck' ? deck : memo;
    budget.reset();
    try {
      return { markdown: budget.count(() => fn({ ...plan, strings: templates.strings })), diagnostics: [] };
    } catch (cause) {
      const e = cause as TemplateError;
      const file = Object.values(templates.partials).find((f) => f.file === e.briefingFile) ?? main;
      return { markdown: null, diagnostics: [templateDiagnostic(e, file)] };
    }
  };
  return { compiled: { render }, diagnostics };
}

/**
 * How much one render may repeat and write: far beyond any briefing, far below a hang. `output`
 * bounds the document itself: a 50-page memo of the built-in pack is some 60,000 characters.
 */
export const TEMPLATE_LIMITS = Object.freeze({ rounds: 100_000, characters: 32_000_000, output: 1_000_000 });

class TemplateBudgetError extends Error {}

/**
 * `{{#each}}` and partials with a budget: nested loops over the slides (`{{#each @root.slides}}`
 * eight deep), or partials that each include the next twice, would repeat a hundred million
 * times. Every round and every use of a partial, and what each writes, is counted per render;
 * the document a render makes is at most `output` characters.
 */
function limitRepetition(hb: typeof Handlebars): { reset(): void; count(render: () => string): string } {
  const each = hb.helpers.each as Handlebars.HelperDelegate;
  let rounds = 0;
  let written = 0;
  let depth = 0;
  const count = (render: () => string): string => {
    if (++rounds > TEMPLATE_LIMITS.rounds)
      throw new TemplateBudgetError(
        `more than ${TEMPLATE_LIMITS.rounds.toLocaleString('en')} rounds of \`{{#each}}\` or uses of partials`,
      );
    depth++;
    let out: string;
    try {
      out = render();
    } finally {
      depth--;
    }
    written += out.length;
    if (written > TEMPLATE_LIMITS.characters)
      throw new TemplateBudgetError(`more than ${TEMPLATE_LIMITS.characters.toLocaleString('en')} characters`);
    if (depth === 0 && out.length > TEMPLATE_LIMITS.output)
      throw new TemplateBudgetError(
        `a document of more than ${TEMPLATE_LIMITS.output.toLocaleString('en')} characters`,
      );
    return out;
  };
  hb.registerHelper('each', function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
    const fn = options.fn;
    const counted = Object.assign(Object.create(Object.getPrototypeOf(options)), options, {
      fn: (ctx: unknown, o?: Handlebars.RuntimeOptions) => count(() => fn(ctx, o)),
    }) as Handlebars.HelperOptions;
    return each.call(this, context, counted);
  });
  return {
    reset() {
      rounds = 0;
      written = 0;
      depth = 0;
    },
    count,
  };
}

/** A template from its compiled JavaScript, or null when there is none or it does not evaluate. */
function fromSpec(hb: typeof Handlebars, spec: string | undefined): Handlebars.TemplateDelegate | null {
  if (!spec) return null;
  try {
    const object = new Function(`return ${spec};`)() as { main?: unknown };
    return typeof object?.main === 'function' ? hb.template(object as TemplateSpecification) : null;
  } catch {
    return null;
  }
}

/** Compiles and renders in one go (for one-off use and tests). */
export function renderTemplate(
  templates: Templates,
  plan: DeckPlan | MemoPlan,
): { markdown: string | null; diagnostics: Diagnostic[] } {
  const { compiled, diagnostics } = compileTemplates(templates);
  if (!compiled) return { markdown: null, diagnostics };
  return compiled.render(plan);
}

/** Helper names Handlebars keeps for itself (and ours): a template that uses one gets a clear error, not a JavaScript one. */
const RESERVED = new Set(['helperMissing', 'blockHelperMissing', '__markdown', 'log']);

function reservedName(file: TemplateFile): Diagnostic | null {
  const re = /\{\{~?[#/^>&]?\s*(@?[A-Za-z_$][\w$]*)/g;
  for (const m of file.source.matchAll(re)) {
    if (!RESERVED.has(m[1]!)) continue;
    const before = file.source.slice(0, m.index);
    const line = before.split('\n').length;
    const col = m.index - before.lastIndexOf('\n');
    return error(
      'template-reserved-name',
      `\`${m[1]}\` is a name Handlebars reserves for itself`,
      { file: file.file, line, col },
      'use another name: a variable from docs/templates.md, or one of the helpers listed there',
    );
  }
  return null;
}

function templateDiagnostic(e: TemplateError, file: TemplateFile): Diagnostic {
  const raw = e.message ?? String(e);
  const parse = /Parse error on line (\d+):/.exec(raw);
  const located = / - (\d+):(\d+)$/.exec(raw);
  const line = parse ? Number(parse[1]) : (e.lineNumber ?? (located ? Number(located[1]) : 1));
  const col = (e.column ?? (located ? Number(located[2]) : 0)) + 1;
  const span = { file: file.file, line, col };
  const unknownVar = /^"([^"]+)" not defined in/.exec(raw);
  if (unknownVar) {
    return error(
      'template-unknown-variable',
      `unknown variable \`${unknownVar[1]}\``,
      span,
      'see docs/templates.md for the variables each template receives',
    );
  }
  const partial = /The partial (\S+) could not be found/.exec(raw);
  if (partial) {
    return error(
      'template-unknown-partial',
      `unknown partial \`${partial[1]}\``,
      span,
      'partials are the `.hbs` files in `partials/`; add it there or fix the name',
    );
  }
  if (e instanceof TemplateBudgetError)
    return error(
      'template-too-much',
      `the template repeats too much: ${e.message}`,
      span,
      'look for `{{#each}}` blocks inside one another over the same list',
    );
  if (e instanceof RangeError && /call stack/i.test(raw))
    return error(
      'template-too-deep',
      'the template calls itself (a partial inside itself) too deeply',
      span,
      'a partial must not include itself',
    );
  const onText = /Cannot use 'in' operator to search for '([^']*)' in/.exec(raw);
  if (onText)
    return error(
      'template-unknown-variable',
      `\`${printable(onText[1]!, 40)}\` cannot be looked up on a text or number value`,
      span,
      'see docs/templates.md for the variables each template receives',
    );
  // JavaScript's own words (`Cannot read properties of undefined`) mean nothing to a template author.
  const js = e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError;
  const message = parse
    ? `template syntax error: ${printable(raw.split('\n').slice(-1)[0]?.trim() ?? 'unexpected token', 120)}`
    : js
      ? 'template error: an expression near this line could not be evaluated'
      : `template error: ${printable(raw.replace(/ - \d+:\d+$/, ''), 200)}`;
  return error(
    parse ? 'template-syntax' : 'template-error',
    message,
    span,
    'check the `{{…}}` expressions near this line',
  );
}
