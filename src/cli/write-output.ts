// Writing outputs atomically: a temporary file beside the target, then a rename. A failed run
// leaves no partial file and does not touch an existing one.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class OutputError extends Error {}

export function writeAtomic(path: string, data: Uint8Array | string): void {
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new OutputError(`\`${path}\` is a directory; give a file name with \`-o\``);
  }
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new OutputError(`cannot create the folder \`${dir}\`: ${(cause as Error).message}`);
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw new OutputError(`cannot write \`${path}\`: ${(cause as Error).message}`);
  }
}
