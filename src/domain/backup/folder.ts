import { constants, createReadStream, createWriteStream, fstatSync, mkdirSync, openSync, closeSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { checkStoredPath } from '../checkpoint/files.js';
import { sortedEntries } from '../../storage/fs/read-dir.js';
import { pathBytes, pathText, rawJoin } from '../../shared/path-text.js';

/**
 * Daily backups the original Python SpecMap wrote are plain folder copies (`daily/daily-backup-<date>/` or the
 * spec's `daily/<date>/`) with a manifest.json and no ZIP. This reads and copies them without ever following a
 * symbolic link, so nothing outside the backup folder is read.
 */
export interface FolderFile {
  /** POSIX path inside the backup folder, in text form (fs/path-text.ts). */
  path: string;
  size: number;
  mode: number;
}

export interface FolderListing {
  files: FolderFile[];
  /** Links and special files left out, one sentence each. */
  skipped: string[];
}

/** The backup's own metadata, not project data. */
const METADATA = new Set(['manifest.json']);

/** Every regular file below `dir` (the top-level manifest.json excepted), names checked like any stored path. */
export function listBackupFolder(dir: string, where: string): FolderListing {
  const files: FolderFile[] = [];
  const skipped: string[] = [];
  const walk = (absDir: Buffer, prefix: Buffer) => {
    for (const item of sortedEntries(absDir)) {
      const raw = Buffer.concat([prefix, item.name]);
      const rel = pathText(raw);
      if (prefix.length === 0 && METADATA.has(rel)) continue;
      if (item.name.includes(0x5c)) throw new SpecmapError('CORRUPT_DATA', `${where}: unsafe name ${JSON.stringify(rel)} (a backslash)`);
      checkStoredPath(rel, where);
      if (item.isDirectory()) walk(rawJoin(absDir, item.name), Buffer.concat([raw, Buffer.from('/')]));
      else if (item.isFile()) {
        const st = statSync(rawJoin(absDir, item.name));
        files.push({ path: rel, size: st.size, mode: st.mode & 0o777 });
      } else skipped.push(`${rel}: ${item.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; not restored`);
    }
  };
  walk(Buffer.from(dir), Buffer.alloc(0));
  return { files, skipped };
}

/**
 * Copies the listed files from `from` into `to` (a fresh staging folder). Each source is opened with O_NOFOLLOW
 * and checked to be a regular file, so a file swapped for a link after the listing is refused, not followed.
 */
export async function copyBackupFolder(from: string, files: FolderFile[], to: string): Promise<void> {
  for (const f of files) {
    const src = rawJoin(from, pathBytes(f.path));
    const out = rawJoin(to, pathBytes(f.path));
    let fd: number;
    try {
      fd = openSync(src, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new SpecmapError('CORRUPT_DATA', `${f.path} became a symbolic link; nothing restored`);
      throw ioError('read', String(src), err);
    }
    try {
      if (!fstatSync(fd).isFile()) throw new SpecmapError('CORRUPT_DATA', `${f.path} is no longer a regular file; nothing restored`);
      mkdirSync(out.subarray(0, out.lastIndexOf(0x2f)), { recursive: true });
      await pipeline(createReadStream('', { fd, autoClose: false }), createWriteStream(out, { flags: 'wx', mode: f.mode & 0o111 ? 0o755 : 0o644 }));
    } catch (err) {
      throw err instanceof SpecmapError ? err : ioError('copy', String(src), err);
    } finally {
      closeSync(fd);
    }
  }
}
