import { join } from 'node:path';
import { WORK, duKb, objectsKb, registerScratch, rmrf, sh, specmap } from '../lib/exec.mjs';
import { applyChanges, workingCopy } from '../lib/repo-gen.mjs';
import { interleave, median, round } from '../lib/timing.mjs';
import { BASELINE_SNAPSHOT } from './checkpoint.mjs';

const shq = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `git stash create` + `git stash store`: a commit of the tracked changes on refs/stash (untracked files are not in it). */
const STASH = 's=$(git stash create "bench turn") && test -n "$s" && git stash store -m "bench turn" "$s"';

/** Cline's checkpoints: a shadow repository (git dir elsewhere, core.worktree at the project) committing everything. */
const shadowInit = (gitDir, project) => `git init -q --bare ${shq(gitDir)} && git --git-dir=${shq(gitDir)} config core.bare false `
  + `&& git --git-dir=${shq(gitDir)} config core.worktree ${shq(project)}`;
const shadowCommit = (gitDir) => `git --git-dir=${shq(gitDir)} add -A && git --git-dir=${shq(gitDir)} commit -q --allow-empty -m "bench turn"`;

/**
 * specmap against what other tools do for the same checkpoints, side by side: `git stash create` + `store`, and a
 * Cline-style shadow repository. Each tool has its own copy of the project, and every round makes the same 10
 * changes (7 modified, 3 new files) in all of them. First checkpoints: specmap's first step is `specmap start`
 * (no copy: the session shares the project's object store) and the session's first checkpoint; the shadow
 * repository's is `git init` and a commit of the whole project. Disk: du of the project and the shadow git dir.
 */
export async function peersCase(ctx) {
  const size = ctx.quick ? 'S' : 'M';
  const n = 10;
  const firstRuns = ctx.quick ? 1 : 3;
  const runs = ctx.quick ? 2 : 9;
  const dirs = {
    specmap: workingCopy(size, 'peers-specmap', ctx.log),
    stash: workingCopy(size, 'peers-stash', ctx.log),
    shadow: workingCopy(size, 'peers-shadow', ctx.log),
    plumbing: workingCopy(size, 'peers-plumbing', ctx.log),
  };
  const shadowDir = registerScratch(join(WORK, 'run', 'peers-shadow.git'));
  rmrf(shadowDir);
  const disk = (tool) => duKb(dirs[tool], ...(tool === 'shadow' ? [shadowDir] : []));
  const objects = (tool) => (tool === 'shadow' ? objectsKb([`--git-dir=${shadowDir}`], WORK) : objectsKb([], dirs[tool]));

  // First steps, each repeated `firstRuns` times (a new session; a new shadow repository).
  const first = { start: [], startKb: [], specmapCp: [], specmapCpKb: [], shadow: [], shadowKb: [], stash: [], stashKb: [] };
  let session;
  for (let i = 0; i < firstRuns; i += 1) {
    for (const tool of Object.keys(dirs)) applyChanges(dirs[tool], size, n, i, { tag: '-peers' });
    let before = disk('specmap');
    const started = specmap(dirs.specmap, ['--json', 'start', `peers ${i}`]);
    session = JSON.parse(started.stdout).session_id;
    first.start.push(started.ms);
    first.startKb.push(disk('specmap') - before);
    before = disk('specmap');
    first.specmapCp.push(specmap(dirs.specmap, ['checkpoint', session, `first ${i}`]).ms);
    first.specmapCpKb.push(disk('specmap') - before);
    rmrf(shadowDir);
    before = disk('shadow');
    first.shadow.push(sh(dirs.shadow, `${shadowInit(shadowDir, dirs.shadow)} && ${shadowCommit(shadowDir)}`).ms);
    first.shadowKb.push(disk('shadow') - before);
    if (i === 0) {
      before = disk('stash');
      first.stash.push(sh(dirs.stash, STASH).ms);
      first.stashKb.push(disk('stash') - before);
    }
  }
  // Later checkpoints: the same 10 changes in every copy each round, then each tool once (rotating order).
  const before = Object.fromEntries(Object.keys(dirs).map((t) => [t, { du: disk(t), obj: objects(t).total_kb }]));
  const r = interleave({
    warmup: 0,
    runs,
    before: (i) => {
      for (const tool of Object.keys(dirs)) applyChanges(dirs[tool], size, n, 100 + i, { tag: '-peers' });
    },
    sides: {
      specmap: (i) => specmap(dirs.specmap, ['checkpoint', session, `later ${i}`]).ms,
      stash: () => sh(dirs.stash, STASH).ms,
      shadow: () => sh(dirs.shadow, shadowCommit(shadowDir)).ms,
      plumbing: () => sh(dirs.plumbing, BASELINE_SNAPSHOT).ms,
    },
  });
  const per = (t) => ({
    du: round((disk(t) - before[t].du) / runs),
    obj: round((objects(t).total_kb - before[t].obj) / runs),
  });
  const later = Object.fromEntries(Object.keys(dirs).map((t) => [t, per(t)]));
  const projectKb = duKb(join(dirs.shadow, 'src'));
  const shadowObjects = objectsKb([`--git-dir=${shadowDir}`], WORK);
  for (const d of Object.values(dirs)) ctx.cleanup(d);
  ctx.cleanup(shadowDir);

  const m = (xs) => round(median(xs.filter((x) => x !== null)));
  const rows = [
    {
      id: 'peers-specmap', label: 'specmap: `start`, then `checkpoint`', tool: 'specmap',
      first_ms: m(first.start), first_kb: m(first.startKb), first_label: '`specmap start`',
      first_checkpoint_ms: m(first.specmapCp), first_checkpoint_kb: m(first.specmapCpKb),
      later_ms: round(median(r.specmap)), later_du_kb: later.specmap.du, later_objects_kb: later.specmap.obj,
    },
    {
      id: 'peers-stash', label: '`git stash create` + `git stash store` (tracked files only)', tool: 'stash',
      first_ms: null, first_kb: null, first_label: 'none',
      first_checkpoint_ms: m(first.stash), first_checkpoint_kb: m(first.stashKb),
      later_ms: round(median(r.stash)), later_du_kb: later.stash.du, later_objects_kb: later.stash.obj,
    },
    {
      id: 'peers-shadow', label: 'Cline-style shadow repository (`--git-dir` elsewhere, `add -A && commit`)', tool: 'shadow',
      first_ms: null, first_kb: null, first_label: 'in the first checkpoint',
      first_checkpoint_ms: m(first.shadow), first_checkpoint_kb: m(first.shadowKb),
      later_ms: round(median(r.shadow)), later_du_kb: later.shadow.du, later_objects_kb: later.shadow.obj,
    },
    {
      id: 'peers-plumbing', label: 'plumbing snapshot (the checkpoint baseline; one ref, no history kept in a reflog)', tool: 'plumbing',
      first_ms: null, first_kb: null, first_label: 'none',
      first_checkpoint_ms: null, first_checkpoint_kb: null,
      later_ms: round(median(r.plumbing)), later_du_kb: later.plumbing.du, later_objects_kb: later.plumbing.obj,
    },
  ].map((x) => ({ ...x, specmap_ms: x.later_ms, baseline_ms: null, ratio: null, added_ms: null, target: null, pass: null, runs }));
  return {
    key: 'peers',
    title: `Peers: specmap, git stash and a shadow repository, side by side (${size}, ${n} changed files per checkpoint)`,
    rows,
    extra: { project_src_kb: projectKb, shadow_objects_kb: shadowObjects.total_kb, first_runs: firstRuns },
    note: `Each tool has its own copy of the ${size} project; every checkpoint sees the same ${n} changes (${n - Math.floor(n / 3)} modified, ${Math.floor(n / 3)} new files). `
      + `First checkpoints: median of ${firstRuns}, each after a new \`specmap start\` / a new shadow repository; later: median of ${runs} rounds in rotating order. `
      + 'Disk is du -sk (allocated blocks: a loose object takes at least 4 KiB) of the project plus, for the shadow repository, its git dir; '
      + '"objects" is git count-objects (loose + packed KiB). git stash create leaves new (untracked) files out; the shadow repository '
      + `copies the whole project into its own object store first (${Math.round(shadowObjects.total_kb / 1024)} MiB of objects after the run here).`,
  };
}
