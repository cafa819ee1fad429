// Bundled in place of `brotli/decompress.js` (see scripts/bundle.mjs): fontkit needs it only for
// WOFF2 fonts, but loading it decodes Brotli's dictionary up front. Loaded on first use instead.
module.exports = function decompress(buffer, outSize) {
  return require('brotli/decompress.js')(buffer, outSize);
};
