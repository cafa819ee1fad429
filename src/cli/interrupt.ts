// Ctrl-C and termination: a write in progress finishes or is undone, never left half-done.
//
// Outputs are written synchronously (write-output.ts), and a JavaScript signal handler only runs
// between synchronous steps, so once a handler is installed a signal can no longer cut a write in
// half: the write completes (or rolls back) first, then the process stops. Worker threads of
// `build --jobs` are not stopped mid-entry: the build hands out no new entry and waits for the
// ones in progress.

const SIGNALS = Object.freeze({ SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const);

const waits = new Set<() => Promise<void>>();
let stopping = false;
/** A command whose normal end is a signal (the preview server): how it closes. */
let ending: (() => Promise<void>) | null = null;

/** Whether a signal asked the run to stop. */
export function interrupted(): boolean {
  return stopping;
}

/** Runs `wait` before the process stops on a signal (e.g. the entries in progress); returns a remover. */
export function beforeStop(wait: () => Promise<void>): () => void {
  waits.add(wait);
  return () => waits.delete(wait);
}

/**
 * For a command that runs until it is stopped (`briefing preview`): a signal closes it with
 * `close` and the process exits 0, as the command's normal end, without the interruption notice.
 */
export function endOnSignal(close: () => Promise<void>): void {
  ending = close;
}

/**
 * Installs the handlers (the command-line entry does, once). On a signal: say so, wait for what
 * must finish, exit with the shell's code for that signal (128 + its number). A second signal
 * stops at once: everything written so far is whole either way.
 */
export function handleInterrupts(say: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): void {
  for (const [signal, code] of Object.entries(SIGNALS)) {
    process.on(signal, () => {
      if (stopping) process.exit(code);
      stopping = true;
      if (ending) {
        void ending().finally(() => process.exit(0));
        return;
      }
      say(`briefing: interrupted (${signal}); files already written are complete, no file is left half-written`);
      void Promise.allSettled([...waits].map((w) => w())).then(() => process.exit(code));
    });
  }
}
