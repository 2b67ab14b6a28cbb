#!/usr/bin/env node
// The former entry path (dist/bin/specmap.js), kept so hook configurations written by older versions still work.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./specmap.cjs');
