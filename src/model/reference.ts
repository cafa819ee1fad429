// A reference PowerPoint template as layout uses it (read by ../load/reference.ts): sizes in points.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One layout of the reference, as our slides use it (points). */
export interface ReferenceLayout {
  /** Its part in the reference, e.g. `ppt/slideLayouts/slideLayout6.xml`. */
  part: string;
  /** Its name as PowerPoint shows it ("Title Only"). */
  name: string;
  /** The placeholder type our title takes on it: `title`, or `ctrTitle` on a title slide layout. */
  titleType: 'title' | 'ctrTitle';
  title: Rect | null;
  subtitle: Rect | null;
  body: Rect | null;
  footer: Rect | null;
  number: Rect | null;
  /** Pictures and shapes the master and layout draw on every slide, which our boxes keep clear of. */
  obstacles: Rect[];
  /** Its background, when it is a known solid colour (six hex digits). */
  background: string | null;
  /** True when text on it must be light (the background is dark). */
  dark: boolean;
}

export interface Reference {
  /** The file's real path, the template folder it must stay inside, and the SHA-256 of its bytes. */
  file: string;
  root: string;
  digest: string;
  width: number;
  height: number;
  /** The names of its masters and layouts, for messages and tests. */
  masters: string[];
  layouts: string[];
  content: ReferenceLayout;
  cover: ReferenceLayout;
}
