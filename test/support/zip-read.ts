import { SpecmapError } from '../../src/shared/errors.js';
import { forEachZipEntry } from '../../src/storage/zip/reader.js';

// Test helpers over the one ZIP reader (forEachZipEntry), so tests check archives the way restore reads them.

/** Reads one entry whole, CRC-checked. */
export async function readZipEntry(zipPath: string, name: string): Promise<Buffer> {
  let found: Buffer | undefined;
  await forEachZipEntry(zipPath, async (e, read) => {
    if (found === undefined && e.name === name) found = await read();
  });
  if (found === undefined) throw new SpecmapError('BACKUP_NOT_FOUND', `no entry ${name} in ${zipPath}`);
  return found;
}

/** Reads every file entry and checks its CRC; returns the number of files. Throws CORRUPT_DATA on any damage. */
export async function verifyZip(zipPath: string): Promise<number> {
  let files = 0;
  const max = 16 * 1024 * 1024;
  await forEachZipEntry(zipPath, async (e, read, stream) => {
    if (e.isDirectory) return;
    // A large entry is drained, not collected: it can be larger than memory, or than one Buffer may be (4 GiB).
    if (e.size <= max && e.compressedSize <= max) await read();
    else for await (const _chunk of await stream()) { /* the stream checks size and CRC at its end */ }
    files += 1;
  });
  return files;
}
