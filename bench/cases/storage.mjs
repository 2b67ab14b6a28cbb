import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORK, benchEnv, duKb, git, objectsKb, registerScratch, rmrf, specmap } from '../lib/exec.mjs';
import { hookCommand, hookEnv, installClaude, runHook, transcriptLine } from '../lib/claude.mjs';
import { prng, seedOf } from '../lib/prng.mjs';
import { replaceFile, textFiles, workingCopy } from '../lib/repo-gen.mjs';
import { median, round } from '../lib/timing.mjs';

const CONVERSATION = 'bench-storage';

/**
 * Turn `t`'s edits, the same in every copy: 3 files of a working set of 40 get a line inserted, and every 4th
 * turn adds a new file (an agent revisits the files it works on).
 */
function editTurn(dir, size, t) {
  const files = textFiles(size);
  const set = prng(seedOf(`storage-set:${size}`));
  const working = Array.from({ length: 40 }, () => files[set.int(files.length)].path);
  const r = prng(seedOf(`storage-turn:${size}:${t}`));
  for (let k = 0; k < 3; k += 1) {
    const p = join(dir, working[r.int(working.length)]);
    const lines = readFileSync(p, 'utf8').split('\n');
    lines.splice(r.int(lines.length), 0, `// turn ${t}: ${r.next().toString(36).slice(2)}`);
    replaceFile(p, lines.join('\n'));
  }
  if (t % 4 === 0) {
    mkdirSync(join(dir, 'agent'), { recursive: true });
    const body = Array.from({ length: 20 + r.int(80) }, (_, i) => `export const v${i} = ${r.int(1e6)}; // turn ${t}`).join('\n');
    writeFileSync(join(dir, 'agent', `new-${t}.ts`), `${body}\n`);
  }
}

/** Bytes of a pack of the objects reachable from `refs` but not from `base` (what gc would keep of them). */
function packedBytes(dir, refs, base) {
  const list = git(dir, ['rev-list', '--objects', ...refs, '--not', base]).stdout;
  const r = spawnSync('git', ['pack-objects', '--stdout', '-q'], { cwd: dir, env: benchEnv(), input: list, maxBuffer: 1024 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pack-objects in ${dir}: ${r.stderr}`);
  return r.stdout.length;
}

/**
 * Disk added by a long agent session (issue 19): `turns` turns on M, each a UserPromptSubmit, a few edits and a
 * Stop through the hooks `specmap init --claude` installs (with a transcript growing by a prompt and an answer
 * per turn), against git's own objects for the same edits committed in a plain copy (`git add -A && git commit`
 * per turn).
 */
export async function storageCase(ctx) {
  const size = ctx.quick ? 'S' : 'M';
  const turns = ctx.quick ? 5 : 100;
  const sp = workingCopy(size, 'storage-specmap', ctx.log);
  const plain = workingCopy(size, 'storage-git', ctx.log);
  const settings = installClaude(sp);
  // The plain copy gets the same two files, so both start from the same tree.
  for (const f of ['.claude/settings.json', '.mcp.json']) {
    mkdirSync(join(plain, f, '..'), { recursive: true });
    writeFileSync(join(plain, f), readFileSync(join(sp, f)));
  }
  git(plain, ['add', '-A']);
  git(plain, ['commit', '-q', '-m', 'same files as specmap init --claude']);
  const home = registerScratch(join(WORK, 'run', 'storage-home'));
  rmrf(home);
  const transcript = join(home, '.claude', 'projects', 'bench', 'transcript.jsonl');
  mkdirSync(join(transcript, '..'), { recursive: true });
  writeFileSync(transcript, '');
  const env = hookEnv(sp, home);
  const hook = (name, body) => runHook(hookCommand(settings, name), sp, { session_id: CONVERSATION, transcript_path: transcript, hook_event_name: name, ...body }, env);

  const baseSp = git(sp, ['rev-parse', 'HEAD']).stdout.trim();
  const basePlain = git(plain, ['rev-parse', 'HEAD']).stdout.trim();
  const sizes = (dir) => ({ du: duKb(dir), git: duKb(join(dir, '.git')), objects_du: duKb(join(dir, '.git', 'objects')), agents: duKb(join(dir, '04-agents')), obj: objectsKb([], dir) });
  const before = { sp: sizes(sp), plain: sizes(plain) };
  const times = { prompt: [], stop: [], commit: [] };
  const t0 = Date.now();
  hook('SessionStart', { source: 'startup' });
  for (let t = 1; t <= turns; t += 1) {
    times.prompt.push(hook('UserPromptSubmit', { prompt: `turn ${t}` }));
    appendFileSync(transcript, `${JSON.stringify(transcriptLine(2 * t, 'storage '))}\n${JSON.stringify(transcriptLine(2 * t + 1, 'storage '))}\n`);
    editTurn(sp, size, t);
    editTurn(plain, size, t);
    times.stop.push(hook('Stop', { stop_hook_active: false }));
    const c = git(plain, ['add', '-A']).ms + git(plain, ['commit', '-q', '-m', `turn ${t}`]).ms;
    times.commit.push(c);
    if (t % 25 === 0) ctx.log(`  storage: ${t}/${turns} turns (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  const after = { sp: sizes(sp), plain: sizes(plain) };
  const spRefs = git(sp, ['for-each-ref', '--format=%(refname)']).stdout.split('\n').filter((r) => r && !r.startsWith('refs/heads/'));
  const packed = { sp: packedBytes(sp, spRefs, baseSp), plain: packedBytes(plain, ['HEAD'], basePlain) };
  const checkpoints = git(sp, ['for-each-ref', '--format=%(refname)', 'refs/tags/checkpoints/']).stdout.trim().split('\n').filter(Boolean).length;
  // The session's end writes its ZIP (in the background for Claude Code; here in the foreground).
  hook('SessionEnd', { reason: 'other' });
  specmap(sp, ['complete-backups'], { okCodes: [0, 1] });
  const ended = sizes(sp);
  const zipKb = duKb(join(sp, '04-agents', 'backups'));
  ctx.cleanup(sp);
  ctx.cleanup(plain);
  ctx.cleanup(home);

  const d = (side, k) => after[side][k] - before[side][k];
  const rows = [
    {
      id: 'storage-specmap', label: `specmap, ${turns} turns through the Claude Code hooks`,
      disk_kb: d('sp', 'du'), git_kb: d('sp', 'git'), objects_du_kb: d('sp', 'objects_du'), agents_kb: d('sp', 'agents'),
      objects_kb: after.sp.obj.total_kb - before.sp.obj.total_kb, loose_objects: after.sp.obj.loose_count - before.sp.obj.loose_count,
      packed_kb: round(packed.sp / 1024), ms_per_turn: round(median(times.prompt) + median(times.stop)), checkpoints,
      after_end_disk_kb: ended.du - before.sp.du, zip_kb: zipKb,
    },
    {
      id: 'storage-git', label: `git, the same edits committed per turn (\`git add -A && git commit\`, ${turns} commits)`,
      disk_kb: d('plain', 'du'), git_kb: d('plain', 'git'), objects_du_kb: d('plain', 'objects_du'), agents_kb: 0,
      objects_kb: after.plain.obj.total_kb - before.plain.obj.total_kb, loose_objects: after.plain.obj.loose_count - before.plain.obj.loose_count,
      packed_kb: round(packed.plain / 1024), ms_per_turn: round(median(times.commit)), checkpoints: turns,
      after_end_disk_kb: null, zip_kb: null,
    },
  ].map((x) => ({ ...x, specmap_ms: x.ms_per_turn, baseline_ms: null, ratio: null, added_ms: null, target: null, pass: null, runs: turns }));
  const ratio = rows[0].objects_kb / Math.max(1, rows[1].objects_kb);
  return {
    key: 'storage',
    title: `Storage: a ${turns}-turn agent session on ${size}`,
    rows,
    extra: {
      objects_ratio: round(ratio, 2),
      packed_ratio: round(packed.sp / Math.max(1, packed.plain), 2),
      median_ms: { prompt: round(median(times.prompt)), stop: round(median(times.stop)), git_commit: round(median(times.commit)) },
      // Does a turn cost more late in the session than early on?
      stop_ms_first_10: round(median(times.stop.slice(0, 10))),
      stop_ms_last_10: round(median(times.stop.slice(-10))),
    },
    note: `Each turn inserts a line into 3 files of a working set of 40 and every 4th turn adds a file; specmap's transcript grows by a prompt and an answer (~3.5 KB) per turn, which specmap stores on refs/specmap/transcripts. `
      + 'disk = du -sk of the whole project (allocated blocks), git = its .git, objects = git count-objects (loose KiB, as written), '
      + '"packed" = a pack of only the objects the run added (what they take after gc). '
      + `specmap's objects are ${round(ratio, 2)}× git's own for the same edits (packed: ${round(packed.sp / Math.max(1, packed.plain), 2)}×). `
      + `After SessionEnd the session ZIP adds ${zipKb} KiB. ms/turn: specmap UserPromptSubmit + Stop medians; git add + commit. `
      + `Stop's median over the first 10 turns ${Math.round(median(times.stop.slice(0, 10)))} ms, over the last 10 ${Math.round(median(times.stop.slice(-10)))} ms.`,
  };
}
