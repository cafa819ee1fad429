// A worker thread of `briefing build --jobs N`: builds the entries it is sent, with its own cache.
import { parentPort, workerData } from 'node:worker_threads';
import type { BuildEntry } from '../batch/build-config.js';
import { newBuildCache } from '../index.js';
import { runEntry } from './run-entry.js';

const cache = newBuildCache();
const { cwd, inputs } = workerData as { cwd: string; inputs: string[] };
parentPort!.on('message', async (message: { entry: BuildEntry } | null) => {
  if (message === null) {
    parentPort!.close();
    return;
  }
  parentPort!.postMessage(await runEntry(message.entry, cache, cwd, inputs));
});
