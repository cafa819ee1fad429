// Starts the CLI with V8's code cache: the whole CLI, bundled as one CommonJS file
// (dist/bundle/cli.cjs, scripts/bundle.mjs), is compiled from the bytecode a previous run of the
// same command left in the disk cache (src/disk-cache.ts) instead of from its source. Node 20 has
// no compile cache of its own for modules (`module.enableCompileCache` came in Node 22), and ES
// modules cannot be given cached data, hence the CommonJS bundle and `vm.Script`.
//
// Without a disk cache (BRIEFING_CACHE=off, no usable folder) the ES-module bundle is loaded as
// before: it is split so that a run loads only what its command needs. The two bundles are built
// from the same sources in one step; tests/reproducible.test.ts holds their outputs equal.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { cacheAvailable, cacheKey, readCache, writeCache } from '../disk-cache.js';

type Cli = typeof import('./main.js');

const BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', 'bundle');

/** The CLI's exports, and what to do once it has run (keep the code it compiled for next time). */
function loadCached(command: string): { cli: Cli; done: () => void } | null {
  if (process.env.BRIEFING_CODE_CACHE === 'off' || !cacheAvailable()) return null;
  const file = join(BUNDLE, 'cli.cjs');
  let source: string;
  let stamp: string;
  try {
    source = readFileSync(file, 'utf8');
    const s = statSync(file);
    stamp = `${s.size}|${s.mtimeMs}`;
  } catch {
    return null;
  }
  // One entry per command: each keeps the functions its own runs compiled. V8 checks the rest
  // (its version and flags, the source) and refuses data that does not match.
  const name = `code-${cacheKey(file, stamp, process.version, process.arch, process.execArgv.join(' '), command)}.bin`;
  const cachedData = readCache(name) ?? undefined;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: pathToFileURL(file).href, cachedData });
  const module = { exports: {} as Cli };
  (script.runInThisContext() as (...a: unknown[]) => void).call(
    module.exports,
    module.exports,
    createRequire(file),
    module,
    file,
    BUNDLE,
  );
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  if (process.env.BRIEFING_TRACE === '1')
    process.stderr.write(`code cache: ${cachedData === undefined ? 'none' : fresh ? 'rejected' : 'used'} (${name})\n`);
  return {
    cli: module.exports,
    done: () => {
      if (!fresh) return;
      try {
        writeCache(name, script.createCachedData());
      } catch {
        // No code cache this time; the next run compiles from source again.
      }
    },
  };
}

/** Runs the CLI on `argv`; the exit code. */
export async function launch(argv: readonly string[]): Promise<number> {
  const command = argv.find((a) => !a.startsWith('-')) ?? '';
  const cached = /^[a-z]{1,12}$/.test(command) ? loadCached(command) : loadCached('other');
  const cli: Cli = cached?.cli ?? ((await import(pathToFileURL(join(BUNDLE, 'cli.js')).href)) as Cli);
  cli.handleInterrupts();
  const code = await cli.main([...argv]);
  cached?.done();
  return code;
}
