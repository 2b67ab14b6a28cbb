import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORK, git, registerScratch, sh, specmap, specmapJson } from '../lib/exec.mjs';
import { checkpointChain } from '../lib/chain.mjs';
import { applyChanges, copyRepo } from '../lib/repo-gen.mjs';
import { GROUPS, interleave, median, round, row, targets } from '../lib/timing.mjs';
import { BASELINE_SNAPSHOT } from './checkpoint.mjs';

export const ARCHIVED = 1000;
export const FLAT = 1.15;

/** The session history sizes the flat rows compare: checkpoints already in the session. */
export const chainCounts = (quick) => (quick ? [1, 10, 30] : [1, 100, 1000]);
export const chainSize = (quick) => (quick ? 'S' : 'M');

/**
 * `count` archived sessions as a real project accumulates them: each a folder in sessions/archive/ with a
 * session.yaml made from one that specmap really ended, committed, plus its refs/sessions/<id> and three checkpoint
 * tags (so ref listings grow as they would).
 */
export function addArchivedSessions(dir, count) {
  const tmpl = specmapJson(dir, ['start', 'archive template']).session_id;
  specmap(dir, ['end', tmpl, '--no-backup']);
  const text = readFileSync(join(dir, '04-agents', 'sessions', 'archive', tmpl, 'session.yaml'), 'utf8');
  const date = tmpl.slice(0, 10);
  const head = git(dir, ['rev-parse', 'HEAD']).stdout.trim();
  const refs = [];
  for (let k = 0; k < count; k += 1) {
    const day = `2024-${String(1 + Math.floor(k / 280)).padStart(2, '0')}-${String(1 + (Math.floor(k / 10) % 28)).padStart(2, '0')}`;
    const id = `${day}-session-${String(1 + (k % 10)).padStart(3, '0')}-archived-${k}`;
    const folder = join(dir, '04-agents', 'sessions', 'archive', id);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'session.yaml'), text.replaceAll(tmpl, id).replaceAll(date, day));
    refs.push(`create refs/sessions/${id} ${head}\n`);
    for (let c = 1; c <= 3; c += 1) refs.push(`create refs/tags/checkpoints/${id}/checkpoint-${String(c).padStart(3, '0')} ${head}\n`);
  }
  git(dir, ['update-ref', '--stdin'], { input: refs.join('') });
  git(dir, ['add', '04-agents/sessions/archive']);
  git(dir, ['commit', '-q', '-m', `${count} archived sessions`]);
}

/**
 * Issue 19: a checkpoint's cost must not grow with the session's history. One changed file at M, checkpointed in
 * a session that already has 1, 100 and 1,000 checkpoints, and in the 1-checkpoint session of a project with 1,000
 * archived sessions, all in the same rounds (rotating order), each against the plumbing snapshot in its own copy.
 */
export async function flatCase(ctx) {
  const size = chainSize(ctx.quick);
  const counts = chainCounts(ctx.quick);
  const chain = await checkpointChain(size, counts, ctx.log);
  const archived = ctx.quick ? 100 : ARCHIVED;
  const states = counts.map((c) => ({
    key: `cp${c}`,
    label: `${size}, 1 changed, session with ${c.toLocaleString('en')} checkpoint${c === 1 ? '' : 's'}`,
    dir: copyRepo(chain.dirs[c], registerScratch(join(WORK, 'run', `flat-${c}`))),
  }));
  const arch = copyRepo(chain.dirs[counts[0]], registerScratch(join(WORK, 'run', 'flat-archived')));
  addArchivedSessions(arch, archived);
  states.push({ key: 'archived', label: `${size}, 1 changed, the 1-checkpoint session with ${archived.toLocaleString('en')} archived sessions`, dir: arch });
  const sides = {};
  for (const s of states) {
    sides[`${s.key}:specmap`] = (i) => specmap(s.dir, ['checkpoint', chain.session, `flat round ${i}`]).ms;
    sides[`${s.key}:plumbing`] = () => sh(s.dir, BASELINE_SNAPSHOT).ms;
  }
  const runs = ctx.quick ? 2 : 11;
  const r = interleave({
    warmup: 1,
    runs,
    before: (i) => {
      for (const s of states) applyChanges(s.dir, size, 1, i, { tag: '-flat' });
    },
    sides,
  });
  const ref = median(r[`${states[0].key}:specmap`]);
  const refRatio = ref / median(r[`${states[0].key}:plumbing`]);
  const rows = states.map((s, i) => {
    const a = r[`${s.key}:specmap`];
    const b = r[`${s.key}:plumbing`];
    const t = i === 0 ? {} : targets.flat(ref, 'the 1-checkpoint session', FLAT, GROUPS.flat);
    return row({
      id: `flat-${s.key}`, label: s.label, a, b, ...t,
      extra: { vs_reference: round(median(a) / ref, 2), ratio_vs_reference_ratio: round(median(a) / median(b) / refRatio, 2) },
    });
  });
  for (const s of states) ctx.cleanup(s.dir);
  return {
    key: 'flat',
    title: 'Checkpoint cost against the session\'s history',
    rows,
    extra: { chain_cached: chain.cached, chain_build_seconds: chain.seconds },
    note: `Target (issue 19): flat, i.e. each within ${FLAT}× of the 1-checkpoint session (specmap's median). `
      + 'The sessions were written by specmap\'s own checkpoint code (one process, cached under bench/.work/cache by '
      + `the build's digest; ${chain.cached ? 'reused' : `built in ${Math.round(chain.seconds)} s this run`}); the archived sessions are `
      + 'committed session.yaml files with their session refs and three checkpoint tags each. '
      + `Median of ${runs} rounds; ratio_vs_reference_ratio in the results divides out the plumbing's own change.`,
  };
}
