import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI_DIR, WORK, ensureDir, rmrf, specmap, specmapJson } from './exec.mjs';
import { copyRepo, pristineRepo } from './repo-gen.mjs';

/** A digest of the built CLI: a cached checkpoint chain is reused only if the code that wrote it is unchanged. */
export function distDigest() {
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
 * One session of repository `size` with real checkpoints, each changing one file, kept as a copy of the project
 * after each count in `counts` (e.g. 1, 100, 1000): `dirs[count]`. The checkpoints are taken with specmap's own
 * `checkpoint` API, called in this process rather than as a thousand CLI processes: the same code writes the same
 * commits, tags, manifests and session.yaml without paying Node start-up each time. Cached under bench/.work/cache
 * by size, counts and the CLI's digest; chains written by another build are removed. Read-only for callers: copy a
 * folder (copyRepo) before checkpointing in it.
 */
export async function checkpointChain(size, counts, log) {
  const sorted = [...counts].sort((a, b) => a - b);
  const max = sorted.at(-1);
  const prefix = `chain-${size}-${sorted.join('-')}-`;
  const base = join(WORK, 'cache', `${prefix}${distDigest()}`);
  const dirs = Object.fromEntries(sorted.map((c) => [c, join(base, `at-${c}`)]));
  const ready = join(base, 'ready');
  if (existsSync(ready)) return { dirs, session: readFileSync(ready, 'utf8').trim(), cached: true, seconds: null };
  const t0 = Date.now();
  ensureDir(join(WORK, 'cache'));
  for (const name of readdirSync(join(WORK, 'cache'))) {
    // Chains of an older build, and the single-folder chains of the harness before issue 19 (log-<count>-<digest>).
    if (name.startsWith(prefix) || /^log-\d+-[0-9a-f]{12}$/.test(name)) rmrf(join(WORK, 'cache', name));
  }
  const work = join(base, 'building');
  copyRepo(pristineRepo(size, log), work);
  const session = specmapJson(work, ['start', 'chain bench']).session_id;
  const { checkpoint } = await import(pathToFileURL(join(CLI_DIR, 'dist', 'api', 'checkpoint.js')).href);
  for (let k = 1; k <= max; k += 1) {
    const file = `notes-${k % 3}.md`;
    writeFileSync(join(work, file), `step ${k}\n`);
    // Between the kept counts, name the one changed file: the same commit, tag, manifest and session.yaml entry,
    // without git walking the whole tree (at M that halves the build). A kept count is a plain checkpoint, so the
    // session is left exactly as ordinary use leaves it.
    const files = dirs[k] ? undefined : [file];
    if (typeof checkpoint === 'function') await checkpoint({ cwd: work, session, description: `step ${k}`, files });
    else specmap(work, ['checkpoint', session, `step ${k}`, ...(files ?? [])]);
    if (k % 100 === 0) log(`  ${size} chain: ${k}/${max} checkpoints (${Math.round((Date.now() - t0) / 1000)} s)`);
    if (k !== max && dirs[k]) copyRepo(work, dirs[k]);
  }
  renameSync(work, dirs[max]);
  writeFileSync(ready, `${session}\n`);
  const seconds = (Date.now() - t0) / 1000;
  log(`built a ${size} chain of ${max} checkpoints in ${seconds.toFixed(1)} s`);
  return { dirs, session, cached: false, seconds };
}
