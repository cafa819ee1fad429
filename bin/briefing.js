#!/usr/bin/env node
// The command-line entry: everything lives in the built CLI (bundled for a fast start, and
// compiled from V8's code cache when there is one: src/cli/launch.ts); this file only starts it.
import { launch } from '../dist/cli/launch.js';

process.exitCode = await launch(process.argv.slice(2));
