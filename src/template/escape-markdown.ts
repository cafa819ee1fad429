// Escaping for Markdown: what `{{value}}` does in a template, so that content containing `*`,
// `#`, `|`, `---` or `<!--` cannot change the structure of the Briefing Markdown.

const INLINE = /[\\`*_[\]<>|~]/g;
const ENTITY = /&(?=#?[0-9A-Za-z]+;)/g;
/** Constructs that only mean something at the start of a line. */
const LINE_START = /^([ \t]*)(#|>|-|\+|=|\d+[.)])/gm;

export function escapeMarkdown(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value).replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
  return text
    .split(/\n[ \t]*\n+/)
    .map((paragraph) =>
      paragraph
        .replace(/\s*\n\s*/g, ' ')
        .trim()
        .replace(INLINE, '\\$&')
        .replace(ENTITY, '\\&')
        .replace(
          LINE_START,
          (_, space: string, mark: string) =>
            `${space}${/^\d/.test(mark) ? `${mark.slice(0, -1)}\\${mark.slice(-1)}` : `\\${mark}`}`,
        ),
    )
    .join('\n\n');
}

/** The inverse for directive values (`<!-- notes: … -->`), which Markdown does not unescape. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
