#!/usr/bin/env node
// The `specmap` binary: the CLI adapter, with its one top-level catch inside main().
import { main } from '../adapters/cli/main.js';

process.exitCode = await main(process.argv);
