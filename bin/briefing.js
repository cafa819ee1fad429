#!/usr/bin/env node
// The command-line entry: everything lives in the built CLI (bundled for a fast start); this
// file only starts it.
import { main } from '../dist/bundle/cli.js';

process.exitCode = await main(process.argv.slice(2));
