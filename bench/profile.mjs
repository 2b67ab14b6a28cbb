#!/usr/bin/env node
// Where one specmap call spends its time: a CPU profile of the Node process (node --cpu-prof) grouped by what
// the code is doing, plus every git child it spawns (GIT_TRACE2_EVENT) with its start offset and duration.
//   node bench/profile.mjs checkpoint [S|M|L|XL|XXL] [changed]   (default M 150)
//   node bench/profile.mjs log                             (-n 10 in the flat case's M session of 1,000 checkpoints; cached)
//   node bench/profile.mjs list                            (S, 3 active sessions)
//   node bench/profile.mjs agent-hook [PostToolUse|Stop] [S|M]   (the installed Claude Code hook, default PostToolUse M)
//   node bench/profile.mjs end [small|large]
//   node bench/profile.mjs restore [S|M] [changed]
//   node bench/profile.mjs pre-commit                      (the hook entry with 04-agents/config.yaml present)
//   node bench/profile.mjs version
// Options: --runs N (profile N calls and keep the median one, default 3), --keep (keep profiles and trace).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CLI, CLI_DIR, WORK, benchEnv, ensureDir, git, rmrf, run, snapshotCli, specmap, specmapJson } from './lib/exec.mjs';
import { applyChanges, workingCopy } from './lib/repo-gen.mjs';
import { checkpointChain } from './lib/chain.mjs';
import { hookEnv, installClaude } from './lib/claude.mjs';
import { workspaceTemplate } from './cases/end-zip.mjs';

const CATEGORIES = [
  ['waiting for git / I/O (idle)', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['spawning processes', (f) => /child_process/.test(f.url) || f.functionName === 'spawn'],
  ['yaml (parse / stringify)', (f) => f.url.includes('node_modules/yaml/')],
  ['module loading and compiling', (f) => /^node:internal\/(modules|deps\/cjs-module-lexer|bootstrap\/realm)/.test(f.url)
    || ['compileFunction', 'compileSourceTextModule', 'wrapSafe', 'internalModuleStat', 'readPackageJSON'].includes(f.functionName)],
  ['commander', (f) => f.url.includes('node_modules/commander/')],
  ['zlib', (f) => /zlib/.test(f.url) || /deflate|Zlib/i.test(f.functionName)],
  ['specmap code', (f) => f.url.includes('/dist/')],
  ['other node_modules', (f) => f.url.includes('node_modules')],
  ['native / VM (program)', (f) => f.functionName === '(program)' || f.url === ''],
  ['node internals', () => true],
];

function summariseProfile(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byCat = new Map();
  const inclusive = new Map();
  let total = 0;
  for (let i = 0; i < p.samples.length; i += 1) {
    const dt = p.timeDeltas[i] / 1000;
    total += dt;
    const leaf = nodes.get(p.samples[i]);
    const cat = CATEGORIES.find(([, test]) => test(leaf.callFrame))[0];
    byCat.set(cat, (byCat.get(cat) ?? 0) + dt);
    // Inclusive time of specmap's own functions (each counted once per sample, however deep the recursion).
    const seen = new Set();
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
      const f = nodes.get(id).callFrame;
      if (!f.url.includes(`${CLI_DIR}/dist/`) || !f.functionName) continue;
      const key = `${f.functionName} (${f.url.replace(`file://${CLI_DIR}/dist/`, '')}:${f.lineNumber + 1})`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  }
  return { total, byCat: [...byCat].sort((a, b) => b[1] - a[1]), inclusive: [...inclusive].sort((a, b) => b[1] - a[1]) };
}

function gitCalls(traceFile, spawnedAt) {
  const starts = new Map();
  const calls = [];
  for (const line of readFileSync(traceFile, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (e.event === 'start') starts.set(e.sid, { at: Date.parse(e.time) + Number(e.time.slice(23, 26)) / 1000, argv: e.argv.slice(1) });
    if (e.event === 'exit' && starts.has(e.sid) && !e.sid.includes('/')) {
      const s = starts.get(e.sid);
      calls.push({ offset: s.at - spawnedAt, ms: e.t_abs * 1000, argv: s.argv.join(' ').slice(0, 90) });
    }
  }
  return calls.sort((a, b) => a.offset - b.offset);
}

/** Runs `node --cpu-prof <cli> args` in `cwd` with git tracing on; returns wall time, profile and git calls. */
function profileOnce(cwd, args, { entry = CLI, env = benchEnv(), input } = {}) {
  const dir = join(WORK, 'profile', String(Date.now()));
  ensureDir(dir);
  const trace = join(dir, 'git-trace2.json');
  writeFileSync(trace, '');
  const spawnedAt = Date.now();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250', entry, ...args], {
    cwd, env: { ...env, GIT_TRACE2_EVENT: trace }, encoding: 'utf8', input,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !(entry !== CLI)) throw new Error(`specmap ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const prof = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  return { wall, dir, profile: summariseProfile(join(dir, prof)), git: gitCalls(trace, spawnedAt) };
}

/** Packages a module pulls in through static imports (loaded even when unused), with one import chain each. */
function staticPackages(entry) {
  const seen = new Map([[entry, null]]);
  const packages = new Map();
  const queue = [entry];
  const re = /(?:^|\n)\s*(?:import|export)\s(?:[^;'"]*?\sfrom\s)?['"]([^'"]+)['"]/g;
  while (queue.length > 0) {
    const file = queue.shift();
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(re)) {
      if (spec.startsWith('.')) {
        const target = join(dirname(file), spec);
        if (!seen.has(target)) {
          seen.set(target, file);
          queue.push(target);
        }
      } else if (!spec.startsWith('node:') && !packages.has(spec)) {
        const chain = [spec];
        for (let f = file; f; f = seen.get(f)) chain.unshift(relative(join(CLI_DIR, 'dist'), f));
        packages.set(spec, chain.join(' → '));
      }
    }
  }
  return { modules: seen.size, packages };
}

function importCost(pkg) {
  const times = [];
  for (let i = 0; i < 3; i += 1) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e',
      `const t = performance.now(); await import(${JSON.stringify(pkg)}); console.log(performance.now() - t);`], { cwd: CLI_DIR, encoding: 'utf8' });
    times.push(Number(r.stdout));
  }
  return times.sort((a, b) => a - b)[1];
}

function reportImports(entry) {
  const { modules, packages } = staticPackages(entry);
  const out = [`  static imports of ${relative(join(CLI_DIR, 'dist'), entry)}: ${modules} specmap modules; packages (import alone, ms):`];
  for (const [pkg, chain] of packages) out.push(`    ${importCost(pkg).toFixed(0).padStart(5)} ms  ${pkg}   via ${chain}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function report(title, runs) {
  runs.sort((a, b) => a.wall - b.wall);
  const m = runs[runs.length >> 1];
  const gitTotal = m.git.reduce((s, c) => s + c.ms, 0);
  const out = [`\n${title}: median of ${runs.length} profiled calls, ${m.wall.toFixed(0)} ms wall (profiling adds a little)`];
  out.push(`  profiled span ${m.profile.total.toFixed(0)} ms; before the profiler starts (Node bootstrap) ≈ ${(m.wall - m.profile.total).toFixed(0)} ms`);
  out.push('  Node process, by what it was doing (self time):');
  for (const [cat, ms] of m.profile.byCat) out.push(`    ${ms.toFixed(1).padStart(8)} ms  ${cat}`);
  out.push('  specmap functions, inclusive time (top 15):');
  for (const [fn, ms] of m.profile.inclusive.slice(0, 15)) out.push(`    ${ms.toFixed(1).padStart(8)} ms  ${fn}`);
  out.push(`  git children: ${m.git.length} processes, ${gitTotal.toFixed(1)} ms in total (start offset from spawning Node, duration):`);
  for (const c of m.git) out.push(`    +${c.offset.toFixed(0).padStart(5)} ms ${c.ms.toFixed(1).padStart(7)} ms  git ${c.argv}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return m;
}

const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const [, v] = argv.splice(i, 2);
  return v;
};
const runs = Number(flag('--runs') ?? 3);
const keep = argv.includes('--keep');
const [scenario = 'checkpoint', ...rest] = argv.filter((a) => a !== '--keep');
process.env = benchEnv();
ensureDir(WORK);
snapshotCli();
const log = (m) => process.stderr.write(`${m}\n`);
const profiles = [];
const cleanups = [];

if (scenario === 'checkpoint' || scenario === 'restore') {
  const size = rest[0] ?? 'M';
  const n = Number(rest[1] ?? 150);
  const dir = workingCopy(size, `profile-${scenario}`, log);
  cleanups.push(dir);
  const id = specmapJson(dir, ['start', 'profile']).session_id;
  applyChanges(dir, size, n, 0);
  specmap(dir, ['checkpoint', id, 'warm-up']);
  if (scenario === 'checkpoint') {
    for (let i = 1; i <= runs; i += 1) {
      applyChanges(dir, size, n, i);
      profiles.push(profileOnce(dir, ['checkpoint', id, `profiled ${i}`]));
    }
  } else {
    const cp = specmapJson(dir, ['checkpoint', id, 'to restore', '--allow-empty']);
    applyChanges(dir, size, n, 1);
    const target = specmapJson(dir, ['checkpoint', id, 'restore me']);
    for (let i = 0; i < runs; i += 1) {
      rmrf(join(dir, '04-agents', 'sessions', 'active', `${id}-${target.checkpoint_id}-restored`));
      profiles.push(profileOnce(dir, ['restore', '--restore-checkpoint', id, target.checkpoint_id]));
    }
    void cp;
  }
  report(`${scenario} ${size}, ${n} changed`, profiles);
  reportImports(join(CLI_DIR, 'dist', 'adapters', 'cli', 'commands', `${scenario}.js`));
} else if (scenario === 'log') {
  const chain = await checkpointChain('M', [1, 100, 1000], log);
  for (let i = 0; i < runs; i += 1) profiles.push(profileOnce(chain.dirs[1000], ['log', chain.session, '--oneline', '-n', '10']));
  report('log --oneline -n 10, session of 1,000 checkpoints (M)', profiles);
  reportImports(join(CLI_DIR, 'dist', 'adapters', 'cli', 'commands', 'log.js'));
} else if (scenario === 'list') {
  const dir = workingCopy('S', 'profile-list', log);
  cleanups.push(dir);
  for (let i = 0; i < 3; i += 1) specmap(dir, ['start', `list ${i}`]);
  for (let i = 0; i < runs; i += 1) profiles.push(profileOnce(dir, ['list']));
  report('list (S, 3 active sessions)', profiles);
  reportImports(join(CLI_DIR, 'dist', 'adapters', 'cli', 'commands', 'list.js'));
} else if (scenario === 'agent-hook') {
  // Profiles the Node side of the hook (`specmap agent-hook claude`, what the installed command ends up running).
  const event = rest[0] ?? 'PostToolUse';
  const size = rest[1] ?? 'M';
  const dir = workingCopy(size, 'profile-agent-hook', log);
  cleanups.push(dir);
  installClaude(dir);
  const home = join(dir, '..', 'profile-agent-hook-home');
  cleanups.push(home);
  const env = hookEnv(dir, home);
  const file = join(dir, 'agent-edit.txt');
  const body = (name, extra) => JSON.stringify({ session_id: 'profile', cwd: dir, hook_event_name: name, ...extra });
  const send = (name, extra) => specmap(dir, ['agent-hook', 'claude'], { env, input: body(name, extra) });
  const post = { tool_name: 'Write', tool_input: { file_path: file }, tool_response: {} };
  send('SessionStart', { source: 'startup' });
  send('UserPromptSubmit', { prompt: 'profile' });
  writeFileSync(file, 'first\n');
  send('PostToolUse', post);
  send('Stop', {});
  for (let i = 0; i < runs; i += 1) {
    if (event === 'Stop') applyChanges(dir, size, 1, i);
    else writeFileSync(file, `edit ${i}\n`);
    profiles.push(profileOnce(dir, ['agent-hook', 'claude'], { env, input: body(event, event === 'Stop' ? {} : post) }));
  }
  report(`agent-hook claude, ${event} (${size})`, profiles);
  reportImports(join(CLI_DIR, 'dist', 'adapters', 'cli', 'commands', 'agent-hook.js'));
} else if (scenario === 'end') {
  const kind = rest[0] ?? 'large';
  const dir = workingCopy('S', 'profile-end', log);
  cleanups.push(dir);
  const tmpl = workspaceTemplate(kind);
  for (let i = 0; i < runs; i += 1) {
    const id = specmapJson(dir, ['start', `end ${i}`]).session_id;
    run('cp', ['-r', `${tmpl}/.`, join(dir, '04-agents', 'sessions', 'active', id)]);
    profiles.push(profileOnce(dir, ['end', id]));
  }
  report(`end, ${kind} workspace`, profiles);
  reportImports(join(CLI_DIR, 'dist', 'adapters', 'cli', 'commands', 'end.js'));
} else if (scenario === 'pre-commit') {
  const dir = workingCopy('S', 'profile-hook', log);
  cleanups.push(dir);
  specmap(dir, ['start', 'hook profile']);
  mkdirSync(join(dir, '04-agents'), { recursive: true });
  writeFileSync(join(dir, '04-agents', 'config.yaml'), 'scratch:\n  - "tmp/**"\n');
  writeFileSync(join(dir, 'x.txt'), 'x\n');
  git(dir, ['add', 'x.txt']);
  const entry = join(CLI_DIR, 'dist', 'bin', 'git-hook.cjs');
  for (let i = 0; i < runs; i += 1) profiles.push(profileOnce(dir, ['pre-commit'], { entry }));
  report('pre-commit hook entry (config.yaml present)', profiles);
  reportImports(entry);
} else if (scenario === 'version') {
  for (let i = 0; i < runs; i += 1) profiles.push(profileOnce(WORK, ['--version']));
  report('specmap --version', profiles);
  reportImports(join(CLI_DIR, 'dist', 'bin', 'specmap.cjs'));
} else {
  process.stderr.write(`unknown scenario ${scenario}\n`);
  process.exit(2);
}
if (!keep) {
  for (const p of profiles) rmrf(p.dir);
  for (const d of cleanups) rmrf(d);
} else {
  process.stdout.write(`profiles kept in ${join(WORK, 'profile')}\n`);
}
