// `briefing preview` as a child process for the preview tests: started on a free port, its URL
// read from stdout, and never left running (killed by pid when the test file ends, even on failure).
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll } from 'vitest';
import { BIN } from './helpers.js';

export interface PreviewProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code and how long the exit took (ms). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

const started = new Set<ChildProcess>();

function killLeft(): void {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  started.clear();
}
afterAll(killLeft);
process.on('exit', killLeft);

/** Starts `briefing preview --port 0` with `args` in `cwd`; rejects if no URL is printed in `timeoutMs`. */
export function startPreviewProcess(args: string[], cwd: string, timeoutMs = 30_000): Promise<PreviewProcess> {
  const child = spawn(process.execPath, [BIN, 'preview', '--port', '0', ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`briefing preview printed no URL in ${timeoutMs} ms; stderr:\n${err}`));
    }, timeoutMs);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`briefing preview exited (${code ?? signal}) before printing its URL; stderr:\n${err}`));
    });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^briefing preview: (http:\/\/127\.0\.0\.1:(\d+)\/)$/m.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        child,
        url: m[1]!,
        port: Number(m[2]),
        stderr: () => err,
        stop: async () => {
          const t0 = performance.now();
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          const end = await exited;
          clearTimeout(killer);
          return { ...end, ms: Math.round(performance.now() - t0) };
        },
      });
    });
  });
}
