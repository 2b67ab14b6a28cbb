import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';

/**
 * A `.sha256` file beside an archive that has no manifest (session ZIPs): one line `<hex>  <file name>`, the
 * format `sha256sum -c` reads.
 */
export function writeChecksumFile(checksumPath: string, archivePath: string, sha256: string): void {
  writeFileAtomic(checksumPath, `${sha256}  ${basename(archivePath)}\n`);
}

/** The recorded SHA-256, undefined when there is no checksum file; a malformed one comes back as `problem`. */
export function readChecksumFile(checksumPath: string): { sha256?: string; problem?: string } {
  if (!existsSync(checksumPath)) return {};
  const m = /^([0-9a-f]{64}) [ *]\S/.exec(readFileSync(checksumPath, 'utf8'));
  return m ? { sha256: m[1] } : { problem: `${basename(checksumPath)} does not hold a SHA-256 line` };
}
