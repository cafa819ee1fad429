// Bundled in place of `@noble/ciphers/aes` (see scripts/bundle.mjs): pdfkit needs AES only to
// encrypt, which briefing never asks for, but loading the module builds its tables up front
// (5–8 ms). Loaded on first use instead.
const aes = () => require('@noble/ciphers/aes');

exports.cbc = (...args) => aes().cbc(...args);
exports.ecb = (...args) => aes().ecb(...args);
