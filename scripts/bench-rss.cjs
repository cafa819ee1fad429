// Preloaded by scripts/bench.mjs (NODE_OPTIONS=--require) into a run whose peak memory it
// measures: writes the process's maximum resident set size, in KB, to $BENCH_RSS_FILE at exit.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
