// Bundles the CLI into a few files (dist/bundle/), so a cold start reads and compiles one module
// graph instead of hundreds of files. Renderers stay in their own chunks, loaded only when their
// format is asked for. pdfkit and fontkit are bundled too (into the PDF renderer's chunk): loaded
// from node_modules they are some forty files, and resolving those cost a memo about 40 ms.
// pdfkit's data files (the 14 standard fonts' metrics, an ICC profile for PDF/A) are left
// behind: briefing uses neither (render-pdf.ts creates documents with no default font).
// The font measuring code loads fontkit itself, from node_modules, when its cache misses.
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const LAZY = join(dirname(fileURLToPath(import.meta.url)), 'lazy');

/**
 * Modules whose loading does work briefing rarely or never needs (the line breaker's Unicode
 * tables until text is broken, Brotli's dictionary, pdfkit's AES tables, fontkit for pdfkit) are
 * replaced by wrappers in scripts/lazy/ that load them on first use; what the modules do when
 * used is unchanged. fontkit is not bundled at all: what loads it (measuring without a cached
 * table, a CFF font in a PDF, `check`) loads it from node_modules.
 */
const stubs = {
  'unicode-trie': 'unicode-trie.cjs',
  'brotli/decompress.js': 'brotli-decompress.cjs',
  '@noble/ciphers/aes': 'noble-aes.cjs',
  fontkit: 'fontkit.cjs',
};
const fromNodeModules = new Set(['fontkit']);
const lazyLoading = {
  name: 'lazy-loading',
  setup(b) {
    b.onResolve({ filter: /^(unicode-trie|brotli\/decompress\.js|@noble\/ciphers\/aes|fontkit)$/ }, (args) => {
      if (!args.importer.startsWith(LAZY)) return { path: join(LAZY, stubs[args.path]) };
      return fromNodeModules.has(args.path) ? { path: args.path, external: true } : undefined;
    });
  },
};

/**
 * pptxgenjs zips its package with JSZip, and the PPTX renderer unzips it again to rewrite the
 * parts before zipping once more. In the bundle, JSZip is replaced by a stand-in that keeps the
 * parts (src/render/pptx/parts-zip.ts): the package is zipped once, and JSZip (with its streams)
 * is never loaded.
 */
const zipOnce = {
  name: 'zip-once',
  setup(b) {
    b.onResolve({ filter: /^jszip$/ }, () => ({ path: join(dirname(LAZY), '..', 'dist', 'render', 'pptx', 'parts-zip.js') }));
  },
};

rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { cli: 'dist/cli/main.js', 'build-worker': 'dist/cli/build-worker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: false,
  sourcemap: false,
  logLevel: 'warning',
  plugins: [lazyLoading, zipOnce],
  // resvg is a native addon (a .node file per platform): loaded from node_modules, never bundled.
  external: ['@resvg/resvg-js'],
  // Bundled CommonJS (handlebars, pptxgenjs's jszip) expects `require`.
  banner: { js: "import { createRequire as __briefingRequire } from 'node:module'; const require = __briefingRequire(import.meta.url);" },
});

// The preview's page (plain HTML, CSS and JavaScript, served as they are) goes beside the compiled code.
rmSync('dist/preview/page', { recursive: true, force: true });
cpSync('src/preview/page', 'dist/preview/page', { recursive: true });
