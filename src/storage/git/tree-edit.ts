import { rmSync } from 'node:fs';
import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { tempIndexPath } from './temp-index.js';
import { parseRawDiff, type RawChange } from './parse/raw-diff.js';

export type { RawChange } from './parse/raw-diff.js';

/** What changed from tree `from` to tree `to`, entry by entry, with the new entries' modes and ids. */
export async function rawChanges(repo: RepoPaths, from: string, to: string): Promise<RawChange[]> {
  if (from === to) return [];
  const { stdoutBuf } = await runGit(['diff-tree', '-r', '-z', '--raw', '--no-renames', '--no-abbrev', from, to], { cwd: repo.root });
  return parseRawDiff(stdoutBuf);
}

/**
 * The tree `base` with `changes` applied — each changed path given the entry it has after the change, or removed —
 * and everything else as `base` has it. Written from objects alone, in an index of its own: no file is read.
 */
export async function applyRawChanges(repo: RepoPaths, base: string, changes: RawChange[]): Promise<string> {
  if (changes.length === 0) return base;
  const index = tempIndexPath(repo);
  const env = { GIT_INDEX_FILE: index };
  try {
    await runGit(['read-tree', base], { cwd: repo.root, env });
    // Removals first, so a file that replaced a folder (or the other way round) finds its place free.
    const ordered = [...changes.filter((c) => c.status === 'D'), ...changes.filter((c) => c.status !== 'D')];
    const zero = '0'.repeat(base.length);
    const input = Buffer.concat(ordered.map((c) => Buffer.concat([
      Buffer.from(c.status === 'D' ? `0 ${zero}\t` : `${c.mode} ${c.oid}\t`, 'latin1'), c.raw, Buffer.from([0]),
    ])));
    await runGit(['update-index', '-z', '--index-info'], { cwd: repo.root, env, input });
    const { stdout } = await runGit(['write-tree'], { cwd: repo.root, env });
    return stdout.trim();
  } finally {
    rmSync(index, { force: true });
    rmSync(`${index}.lock`, { force: true });
  }
}
