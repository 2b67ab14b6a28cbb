import { nodeCrypto } from '../../shared/node-crypto.js';
import { runGitToFile } from './run.js';
import type { RepoPaths } from './repo.js';

export interface ArchiveFile {
  /** SHA-256 (hex) of the whole archive file, hashed as git wrote it. */
  sha256: string;
  bytes: number;
}

/** How far `git archive` is: files (not folders) written, and the archive's bytes so far. */
export type ArchiveProgress = (files: number, bytes: number) => void;

/**
 * `git archive --format=zip` of a commit or tree, streamed to `dest` (which must not exist). With `onProgress`,
 * `--verbose` makes git name each entry on stderr as it writes it, and those are counted.
 */
export async function archiveZip(repo: RepoPaths, rev: string, dest: string, level = 6, onProgress?: ArchiveProgress): Promise<ArchiveFile> {
  const hash = nodeCrypto().createHash('sha256');
  let bytes = 0;
  let files = 0;
  const onData = (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  };
  const onStderrLine = onProgress && ((line: string) => {
    if (/^(fatal|error|warning): /.test(line)) return false;
    if (!line.endsWith('/')) onProgress(++files, bytes);
    return true;
  });
  await runGitToFile(['archive', '--format=zip', `-${level}`, ...(onProgress ? ['--verbose'] : []), rev], { cwd: repo.root, dest, onData, onStderrLine });
  return { sha256: hash.digest('hex'), bytes };
}
