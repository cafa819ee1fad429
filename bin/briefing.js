#!/usr/bin/env node
// The command-line entry: everything lives in the built CLI (bundled for a fast start); this
// file only starts it, with Ctrl-C and termination handled so no write is cut in half.
import { handleInterrupts, main } from '../dist/bundle/cli.js';

handleInterrupts();
process.exitCode = await main(process.argv.slice(2));
