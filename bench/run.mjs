#!/usr/bin/env node
// The benchmark harness of issues #8 and #19: specmap against git/zip baselines and peers on generated repositories.
//   node bench/run.mjs            full run: S, M, L, XL, XXL; writes bench/results.json and docs/benchmarks.md
//   node bench/run.mjs --quick    S only, fewer rounds, about two minutes (CI proves it works)
// Options: --no-large (skip L, XL and XXL), --large-runs N (rounds for L, XL, XXL, default 5), --only a,b (run some
// cases and merge them into the existing results), --docs / --no-docs, --out FILE, --keep (leave this run's working
// copies in bench/.work/run), --docs-only (re-render docs/benchmarks.md from the results file and bench/analysis.md),
// --quiet-wait S (before each case, wait up to S seconds for the load average to fall below 1; full runs: 60).
// Generated repositories and checkpoint chains are cached in bench/.work/cache and never removed by a run; a run
// removes only the working copies it made itself.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { CA_CERTS, ROOT, WORK, benchEnv, ensureDir, removeScratch, rmrf, snapshotCli } from './lib/exec.mjs';
import { dropStaleCaches } from './lib/repo-gen.mjs';
import { machineInfo, printSection, printTargets, renderMarkdown } from './lib/report.mjs';
import { startup } from './cases/startup.mjs';
import { checkpointCase } from './cases/checkpoint.mjs';
import { flatCase } from './cases/flat.mjs';
import { logCase } from './cases/log.mjs';
import { hooksCase } from './cases/hooks.mjs';
import { agentHooksCase } from './cases/agent-hooks.mjs';
import { endZipCase } from './cases/end-zip.mjs';
import { restoreCase } from './cases/restore.mjs';
import { memoryCase } from './cases/memory.mjs';
import { backupCase } from './cases/backup.mjs';
import { mcpCase } from './cases/mcp.mjs';
import { peersCase } from './cases/peers.mjs';
import { storageCase } from './cases/storage.mjs';
import { scaleCase } from './cases/scale.mjs';

/** The cases in the order they run and appear in docs/benchmarks.md (issue 19's targets first). */
const CASES = {
  startup,
  checkpoint: checkpointCase,
  flat: flatCase,
  mcp: mcpCase,
  'agent-hooks': agentHooksCase,
  log: logCase,
  peers: peersCase,
  storage: storageCase,
  scale: scaleCase,
  hooks: hooksCase,
  end: endZipCase,
  restore: restoreCase,
  backup: backupCase,
  memory: memoryCase,
};
/** Names of earlier harness versions. */
const ALIASES = { scaling: 'checkpoint' };
const FULL_ONLY = new Set(['memory']);

function writeDocs(results) {
  const analysisFile = join(ROOT, 'bench', 'analysis.md');
  const analysis = existsSync(analysisFile) ? readFileSync(analysisFile, 'utf8') : '';
  writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), renderMarkdown(results, analysis));
  process.stderr.write('wrote docs/benchmarks.md\n');
}

function parseArgs(argv) {
  const o = { quick: false, large: true, largeRuns: 5, only: null, docs: null, out: null, keep: false, quietWait: null };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--no-large') o.large = false;
    else if (a === '--large-runs') o.largeRuns = Number(argv[++i]);
    else if (a === '--only') o.only = [...new Set(argv[++i].split(',').map((n) => ALIASES[n] ?? n))];
    else if (a === '--docs') o.docs = true;
    else if (a === '--no-docs') o.docs = false;
    else if (a === '--docs-only') o.docsOnly = true;
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--keep') o.keep = true;
    else if (a === '--quiet-wait') o.quietWait = Number(argv[++i]);
    else {
      process.stderr.write(`bench: unknown option ${a}\n`);
      process.exit(2);
    }
  }
  for (const name of o.only ?? []) {
    if (!CASES[name]) {
      process.stderr.write(`bench: unknown case ${name} (cases: ${Object.keys(CASES).join(', ')})\n`);
      process.exit(2);
    }
  }
  // A quick run never replaces the committed full results unless asked to.
  o.out ??= o.quick ? join(WORK, 'results-quick.json') : join(ROOT, 'bench', 'results.json');
  o.docs ??= !o.quick;
  o.quietWait ??= o.quick ? 0 : 60;
  return o;
}

const opts = parseArgs(process.argv.slice(2));
if (opts.docsOnly) {
  // Re-renders docs/benchmarks.md from the saved results, e.g. after editing bench/analysis.md.
  writeDocs(JSON.parse(readFileSync(opts.out, 'utf8')));
  process.exit(0);
}
const t0 = Date.now();
const log = (msg) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
// Every git, specmap and shell child inherits this: no user or system git config, English messages, no colour.
process.env = benchEnv();
ensureDir(WORK);
snapshotCli();
dropStaleCaches(log);

const ctx = {
  quick: opts.quick,
  large: opts.large && !opts.quick,
  largeRuns: opts.largeRuns,
  log,
  cleanup: (dir) => {
    if (!opts.keep) rmrf(dir);
  },
};

const names = (opts.only ?? Object.keys(CASES)).filter((n) => !(opts.quick && FULL_ONLY.has(n)));
const sections = [];
/**
 * Other work on this machine (a test suite, a build) skews every figure; wait a little for it to pass, and record
 * the load average either way.
 */
function waitForQuiet(maxSeconds) {
  const t = Date.now();
  while (os.loadavg()[0] > 1.0 && Date.now() - t < maxSeconds * 1000) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  const waited = Math.round((Date.now() - t) / 1000);
  if (waited > 0) log(`waited ${waited} s for the load average to drop (now ${os.loadavg()[0].toFixed(2)})`);
}

try {
  for (const name of names) {
    waitForQuiet(opts.quietWait);
    log(`${name}…`);
    const started = Date.now();
    const loadBefore = os.loadavg()[0];
    let section;
    try {
      section = await CASES[name](ctx);
    } catch (err) {
      // One failing case costs its own figures, not the run's: the rest still run and the failure is recorded.
      process.stderr.write(`${err.stack ?? err}\n`);
      section = { key: name, title: name, rows: [], error: String(err.message ?? err).split('\n')[0].slice(0, 500) };
    }
    section.seconds = Math.round((Date.now() - started) / 1000);
    section.load_avg = { before: Math.round(loadBefore * 100) / 100, after: Math.round(os.loadavg()[0] * 100) / 100 };
    sections.push(section);
    printSection(section);
    log(`${name} ${section.error ? 'FAILED' : 'done'} in ${section.seconds} s`);
  }
} finally {
  if (!opts.keep) removeScratch();
}

let results = {
  mode: opts.quick ? 'quick' : 'full',
  machine: { ...machineInfo(), node_extra_ca_certs: CA_CERTS ? 'set in this environment; removed for every child except the rows that say so' : 'not set' },
  duration_s: (Date.now() - t0) / 1000,
  options: { large: ctx.large, large_runs: opts.largeRuns },
  sections,
};
if (opts.only && existsSync(opts.out)) {
  // A partial run replaces its cases in the previous results and keeps the rest.
  const prev = JSON.parse(readFileSync(opts.out, 'utf8'));
  if (prev.mode === results.mode) {
    const fresh = new Map(sections.map((s) => [s.key, s]));
    const merged = prev.sections.filter((s) => CASES[s.key]).map((s) => fresh.get(s.key) ?? s);
    for (const s of sections) if (!merged.includes(s)) merged.push(s);
    const order = Object.keys(CASES);
    merged.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
    results = { ...results, duration_s: prev.duration_s, sections: merged, partial_rerun: { cases: opts.only, at: results.machine.date } };
  }
}
writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${opts.out}`);
if (opts.docs) writeDocs(results);
printTargets(results);
log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (sections.some((s) => s.error)) process.exitCode = 1;
