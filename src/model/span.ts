// Where a value came from: a file and a 1-based line and column. Every user-facing problem
// points at one of these.
export interface Span {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

/** A string together with the place it came from. */
export interface Spanned<T = string> {
  value: T;
  span: Span;
}
