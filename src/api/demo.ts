import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { now } from '../shared/clock.js';
import { commitAll } from '../storage/git/worktree.js';
import { findRepo, initRepo } from '../storage/git/repo.js';
import { listRefs } from '../storage/git/refs.js';
import { listZip } from '../storage/zip/reader.js';

/**
 * `specmap demo`'s scaffolding, not part of the library: a new repository in `dir` holding `files`, committed once
 * as "Initial commit" by a demo identity (so the demo runs on a machine with no git user configured).
 */
export async function createDemoRepo(dir: string, files: Record<string, string>): Promise<void> {
  await initRepo(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  await commitAll(await findRepo(dir), 'Initial commit', now());
}

export interface DemoFacts {
  zip_entries: { name: string; size: number }[];
  session_refs: { oid: string; ref: string }[];
  checkpoint_tags: { oid: string; ref: string }[];
}

/** What the demo shows at the end, as `unzip -l` and `git for-each-ref` would: the session ZIP, the refs, the tags. */
export async function demoFacts(dir: string, zip: string | undefined): Promise<DemoFacts> {
  const repo = await findRepo(dir);
  const entries = zip ? await listZip(join(dir, zip)) : [];
  return {
    zip_entries: entries.filter((e) => !e.isDirectory).map((e) => ({ name: e.name, size: e.size })),
    session_refs: await listRefs(repo, 'refs/sessions/'),
    checkpoint_tags: await listRefs(repo, 'refs/tags/checkpoints/'),
  };
}
