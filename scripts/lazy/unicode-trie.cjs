// Bundled in place of `unicode-trie` (see scripts/bundle.mjs): fontkit and unicode-properties
// build four of these tables when they load, inflating about 100 KB for OpenType shaping that
// briefing's PDF renderer never asks for. This one inflates its data on first lookup instead.
const UnicodeTrie = require('unicode-trie');

class LazyUnicodeTrie {
  constructor(data) {
    this.data = data;
    this.trie = null;
  }

  get(codePoint) {
    if (this.trie === null) this.trie = new UnicodeTrie(this.data);
    return this.trie.get(codePoint);
  }
}

module.exports = LazyUnicodeTrie;
