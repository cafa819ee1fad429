// Where the package's own data lives, for both the built code (dist/) and the sources (src/).
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../templates/', import.meta.url));
export const BUILTIN_CONTENT = fileURLToPath(new URL('../content/', import.meta.url));
export const DEFAULT_PACK = fileURLToPath(new URL('../content/real-ai-race/', import.meta.url));
