// Where a path leads on disk, whether or not it exists yet.
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The path with every link resolved: the real path of its nearest existing folder, then the
 * names below it that do not exist yet. Two names for one file (through a linked folder) give
 * the same result.
 */
export function physicalPath(path: string): string {
  const below: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(at), ...below);
    } catch {
      const up = dirname(at);
      if (up === at) return resolve(path);
      below.unshift(basename(at));
      at = up;
    }
  }
}
