// The lengths a deck and a memo may have: the command line enforces them, and every hint that
// suggests a length stays inside them.
export const LENGTH_LIMITS = Object.freeze({
  slides: Object.freeze({ min: 3, max: 200 }),
  pages: Object.freeze({ min: 1, max: 50 }),
});

/** The width of slides drawn as PNG pictures, in pixels: a thumbnail to a large screen. */
export const IMAGE_WIDTH = Object.freeze({ default: 1280, min: 16, max: 8192 });
