// Where a run's time goes: with BRIEFING_TRACE=1 every stage mark is printed to stderr at exit,
// as milliseconds since the process started (so the first mark includes Node's own start-up and
// the imports before it). Off, a mark costs one comparison.
const on = process.env.BRIEFING_TRACE === '1';
const marks: [string, number][] = [];

export function mark(label: string): void {
  if (!on) return;
  if (marks.length === 0) process.on('exit', report);
  marks.push([label, performance.now()]);
}

function report(): void {
  let last = 0;
  const lines = marks.map(([label, t]) => {
    const line = `${t.toFixed(1).padStart(8)} ms  +${(t - last).toFixed(1).padStart(6)}  ${label}`;
    last = t;
    return line;
  });
  process.stderr.write(`trace (ms since start, + since the previous mark):\n${lines.join('\n')}\n`);
}
