// Bundled in place of fontkit for pdfkit (see scripts/bundle.mjs): pdfkit uses it only to open a
// font given as a file or bytes, and briefing hands it fonts already opened
// (src/render/pdf/render-pdf.ts), so fontkit, some 900 KB of code, is not bundled for it. Should
// pdfkit ever ask, fontkit is loaded from node_modules then.
exports.create = (...args) => require('fontkit').create(...args);
