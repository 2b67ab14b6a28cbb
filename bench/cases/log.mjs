import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI_DIR, WORK, git, rmrf, run, sh, specmap, specmapJson } from '../lib/exec.mjs';
import { BASELINE_SNAPSHOT } from './checkpoint.mjs';
import { pristineRepo } from '../lib/repo-gen.mjs';
import { alternate, row } from '../lib/timing.mjs';

/** A digest of the built CLI: a cached checkpoint chain is reused only if the code that wrote it is unchanged. */
function distDigest() {
  const h = createHash('sha1');
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.js')) h.update(name).update(readFileSync(p));
    }
  };
  walk(join(CLI_DIR, 'dist'));
  return h.digest('hex').slice(0, 12);
}

/**
 * A session with `count` real checkpoints, each changing one file. They are taken with specmap's own
 * createCheckpoint, called in one process rather than `count` CLI processes: the same code writes the same
 * commits, tags, manifests and session.yaml, without paying Node start-up a thousand times. Cached by CLI digest.
 */
export async function checkpointChain(count, log) {
  const dir = join(WORK, 'cache', `log-${count}-${distDigest()}`);
  const ready = join(dir, '.git', 'bench-ready');
  if (existsSync(ready)) return { dir, session: readFileSync(ready, 'utf8').trim(), cached: true };
  const t0 = Date.now();
  // Chains written by an older build are stale: drop them.
  for (const name of readdirSync(join(WORK, 'cache'))) if (name.startsWith(`log-${count}-`)) rmrf(join(WORK, 'cache', name));
  run('cp', ['-a', pristineRepo('S', log), dir]);
  git(dir, ['update-index', '-q', '--refresh'], { okCodes: [0, 1] });
  const session = specmapJson(dir, ['start', 'log bench']).session_id;
  const { checkpoint } = await import(pathToFileURL(join(CLI_DIR, 'dist', 'api', 'checkpoint.js')).href);
  for (let k = 1; k <= count; k += 1) {
    writeFileSync(join(dir, `notes-${k % 3}.md`), `step ${k}\n`);
    if (typeof checkpoint === 'function') {
      await checkpoint({ cwd: dir, session, description: `step ${k}` });
    } else {
      specmap(dir, ['checkpoint', session, `step ${k}`]);
    }
    if (k % 100 === 0) log(`  ${k}/${count} checkpoints (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  writeFileSync(ready, `${session}\n`);
  log(`built a chain of ${count} checkpoints in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { dir, session, cached: false, seconds: (Date.now() - t0) / 1000 };
}

export async function logCase(ctx) {
  const count = ctx.quick ? 30 : 1000;
  const chain = await checkpointChain(count, ctx.log);
  const { dir, session } = chain;
  const runs = ctx.quick ? 5 : 15;
  const ref = `refs/sessions/${session}`;
  const full = alternate({
    runs,
    warmup: 2,
    a: () => specmap(dir, ['log', session, '--oneline']).ms,
    b: () => git(dir, ['log', '--oneline', ref]).ms,
  });
  const ten = alternate({
    runs,
    warmup: 2,
    a: () => specmap(dir, ['log', session, '--oneline', '-n', '10']).ms,
    b: () => git(dir, ['log', '--oneline', '-n', '10', ref]).ms,
  });
  const target = { target: '≤ 1.5× baseline', pass: ({ ratio }) => ratio <= 1.5 };
  // One more checkpoint in a session that already has `count`: its cost should not depend on the session's length.
  const copy = join(WORK, 'run', 'log-long-session');
  rmrf(copy);
  run('cp', ['-a', dir, copy]);
  git(copy, ['update-index', '-q', '--refresh'], { okCodes: [0, 1] });
  const more = alternate({
    runs: ctx.quick ? 3 : 7,
    before: (i) => writeFileSync(join(copy, 'notes-0.md'), `long session round ${i}\n`),
    a: (i) => specmap(copy, ['checkpoint', session, `round ${i}`]).ms,
    b: () => sh(copy, BASELINE_SNAPSHOT).ms,
  });
  ctx.cleanup(copy);
  const yamlKb = Math.round(statSync(join(dir, '04-agents', 'sessions', 'active', session, 'session.yaml')).size / 1024);
  return {
    key: 'log',
    title: `Log of ${count.toLocaleString('en')} checkpoints`,
    rows: [
      row({ id: `log-${count}`, label: `specmap log --oneline vs git log --oneline (${count})`, a: full.a, b: full.b, ...target }),
      row({ id: `log-${count}-n10`, label: `the same with -n 10`, a: ten.a, b: ten.b, ...target }),
      row({
        id: `log-${count}-checkpoint`,
        label: `checkpoint (1 changed file) in this session of ${count} checkpoints (S)`,
        a: more.a,
        b: more.b,
        note: 'compare with the S, 1 changed row of the scaling table (a fresh session)',
      }),
    ],
    extra: { chain_cached: chain.cached, chain_build_seconds: chain.seconds ?? null, session_yaml_kb: yamlKb },
    note: `The session.yaml of ${count} checkpoints is ${yamlKb} KB; the chain was ${chain.cached ? 'reused from bench/.work/cache' : `built in ${Math.round(chain.seconds)} s`}.`,
  };
}
