// Bundles the CLI into a few files (dist/bundle/), so a cold start reads and compiles one module
// graph instead of hundreds of files. Renderers stay in their own chunks, loaded only when their
// format is asked for. pdfkit and fontkit stay in node_modules: pdfkit reads its data files next
// to itself, and both must share one fontkit.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'dist/cli/main.js', 'build-worker': 'dist/cli/build-worker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['pdfkit', 'fontkit'],
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: false,
  sourcemap: false,
  logLevel: 'warning',
  // Bundled CommonJS (handlebars, pptxgenjs's jszip) expects `require`.
  banner: { js: "import { createRequire as __briefingRequire } from 'node:module'; const require = __briefingRequire(import.meta.url);" },
});
