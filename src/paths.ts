// Where the package's own data lives, whether the code runs from src/, dist/ or the bundle in
// dist/bundle/: the nearest folder above this file that holds templates/ and package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return `${dir}/`;
    const up = dirname(dir);
    if (up === dir) throw new Error('internal: cannot find the briefing package folder');
    dir = up;
  }
}

export const PACKAGE_ROOT = packageRoot();
export const BUILTIN_TEMPLATES = join(PACKAGE_ROOT, 'templates/');
export const BUILTIN_CONTENT = join(PACKAGE_ROOT, 'content/');
export const DEFAULT_PACK = join(PACKAGE_ROOT, 'content', 'real-ai-race/');
