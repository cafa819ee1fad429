// How diagnostics look on a terminal: `path:line:col: error[code]: message`, then hints.
import type { Diagnostic } from '../model/diagnostic.js';
import { escapeControls } from '../printable.js';

export interface Printer {
  out(line: string): void;
  err(line: string): void;
  color: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * Messages quote file names and values from files that may be hostile: their control characters
 * are escaped before our own colours are added, so no file can write to the terminal.
 */
export function formatDiagnostic(d: Diagnostic, color = false): string {
  const where = d.span ? `${escapeControls(d.span.file)}:${d.span.line}:${d.span.col}: ` : '';
  const sev =
    d.severity === 'error'
      ? paint(color, '1;31', 'error')
      : d.severity === 'warning'
        ? paint(color, '1;33', 'warning')
        : paint(color, '1;36', 'info');
  const lines = [`${where}${sev}[${escapeControls(d.code)}]: ${escapeControls(d.message)}`];
  for (const h of d.hints) lines.push(`  ${paint(color, '1', 'hint')}: ${escapeControls(h)}`);
  return lines.join('\n');
}

export function printDiagnostics(ds: readonly Diagnostic[], p: Printer, quiet = false): void {
  for (const d of ds) {
    if (quiet && d.severity !== 'error') continue;
    p.err(formatDiagnostic(d, p.color));
  }
}

/**
 * JSON for a terminal or a pipe: as JSON.stringify writes it, with C1 controls, line separators
 * and bidi controls also written as `\uXXXX` (the same strings to a JSON reader; nothing a
 * terminal acts on).
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(2)} MB`;
}
