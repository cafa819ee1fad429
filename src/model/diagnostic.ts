// Problems found by a stage. Stages return these; only the CLI prints them.
import type { Span } from './span.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** Stable kebab-case code, e.g. `unknown-key`, `fit-essential`. */
  code: string;
  /** Lowercase, no final period, values in backticks. */
  message: string;
  span?: Span;
  hints: string[];
}

export function error(code: string, message: string, span?: Span, ...hints: string[]): Diagnostic {
  return span ? { severity: 'error', code, message, span, hints } : { severity: 'error', code, message, hints };
}

export function warning(code: string, message: string, span?: Span, ...hints: string[]): Diagnostic {
  return span ? { severity: 'warning', code, message, span, hints } : { severity: 'warning', code, message, hints };
}

export function info(code: string, message: string, span?: Span, ...hints: string[]): Diagnostic {
  return span ? { severity: 'info', code, message, span, hints } : { severity: 'info', code, message, hints };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** The result of a stage that can fail: a value when it did not, and every problem it found. */
export type Result<T> = { ok: true; value: T; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function ok<T>(value: T, diagnostics: Diagnostic[] = []): Result<T> {
  return { ok: true, value, diagnostics };
}

export function fail<T>(diagnostics: Diagnostic[]): Result<T> {
  return { ok: false, diagnostics };
}
