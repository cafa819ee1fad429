// Text from a file or an argument, made safe to echo on a terminal or in a message: control
// characters (ESC, BEL, the C1 controls, which can clear a screen or set the clipboard through
// OSC 52), line separators and bidirectional overrides are shown as escapes, and long text is cut.

// C0 controls, DEL, C1 controls, line and paragraph separators, bidi embeddings, overrides and isolates.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]/g;
const CONTROLS_BUT_NEWLINE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]/g;

function escapeOne(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (ch === '\n') return '\\n';
  if (ch === '\t') return '\\t';
  if (ch === '\r') return '\\r';
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character escaped; with `keepNewlines`, line breaks stay. */
export function escapeControls(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, escapeOne);
}

/** A short, escaped excerpt of user text for a message: at most `max` characters, then `…`. */
export function printable(text: string, max = 60): string {
  const chars = [...text];
  const cut = chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
  return escapeControls(cut);
}
