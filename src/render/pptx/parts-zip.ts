// A stand-in for JSZip that keeps pptxgenjs's parts instead of zipping them: the package is then
// zipped once, by src/render/pptx/zip.ts, after the parts are rewritten (render-pptx.ts). The CLI's
// bundle puts it in JSZip's place (scripts/bundle.mjs), which saves the compression of a package
// that was only ever unzipped again, and the loading of JSZip itself. Used as a library,
// briefing gets JSZip's zip and unzips it: the parts, and so the output, are the same
// (tests/render-pptx.test.ts builds a deck both ways).
//
// Only what pptxgenjs 4 calls is here: `folder`, `file(name, data, { base64 })` and
// `generateAsync`. A workbook inside a chart is zipped for real (pptxgenjs embeds it as base64).
import { writeZip } from './zip.js';

const PARTS = Symbol.for('briefing.pptx-parts');

/** What `generateAsync` gives for the package: its parts, in the order they were added. */
export interface CapturedParts {
  [PARTS]: true;
  files: Record<string, Uint8Array>;
}

/** The parts pptxgenjs's `write` returned, when it was given this stand-in for JSZip. */
export function capturedParts(written: unknown): Record<string, Uint8Array> | null {
  return typeof written === 'object' && written !== null && PARTS in written ? (written as CapturedParts).files : null;
}

type Data = string | Uint8Array | ArrayBuffer;

function bytesOf(data: Data, options?: { base64?: boolean; binary?: boolean }): Uint8Array {
  if (typeof data === 'string')
    return new Uint8Array(options?.base64 ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8'));
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

export default class PartsZip {
  /** Shared with the folders made from it; a name added again keeps its first place, as in JSZip. */
  private readonly parts: Map<string, Uint8Array>;
  private readonly root: string;

  constructor(parts = new Map<string, Uint8Array>(), root = '') {
    this.parts = parts;
    this.root = root;
  }

  folder(name: string): PartsZip {
    return new PartsZip(this.parts, `${this.root}${name.replace(/\/?$/, '/')}`);
  }

  file(name: string, data: Data, options?: { base64?: boolean; binary?: boolean }): this {
    this.parts.set(`${this.root}${name}`, bytesOf(data, options));
    return this;
  }

  async generateAsync(options: { type?: string }): Promise<CapturedParts | string | Uint8Array> {
    const files = Object.fromEntries(this.parts);
    if (options.type === 'base64' || options.type === 'uint8array' || options.type === 'nodebuffer') {
      // A chart's workbook, embedded in the package: a real zip (its date is rewritten later).
      if (this.parts.has('xl/workbook.xml')) {
        const zip = writeZip(
          [...this.parts].map(([name, data]) => ({ name, data })),
          new Date(1980, 0, 1, 12, 0, 0),
        );
        return options.type === 'base64' ? Buffer.from(zip).toString('base64') : zip;
      }
    }
    return { [PARTS]: true, files };
  }
}
