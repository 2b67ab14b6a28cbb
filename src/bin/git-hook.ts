#!/usr/bin/env node
// The former git hook entry (dist/bin/git-hook.js), kept so shims installed by older versions still work.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./git-hook.cjs');
