import { createHash } from 'node:crypto';
import { runGitToFile } from './run.js';
import type { RepoPaths } from './repo.js';

export interface ArchiveFile {
  /** SHA-256 (hex) of the whole archive file, hashed as git wrote it. */
  sha256: string;
  bytes: number;
}

/** `git archive --format=zip` of a commit or tree, streamed to `dest` (which must not exist). */
export async function archiveZip(repo: RepoPaths, rev: string, dest: string, level = 6): Promise<ArchiveFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  const onData = (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  };
  await runGitToFile(['archive', '--format=zip', `-${level}`, rev], { cwd: repo.root, dest, onData });
  return { sha256: hash.digest('hex'), bytes };
}
