#!/usr/bin/env node
// The command-line entry: everything lives in the built CLI; this file only starts it.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
