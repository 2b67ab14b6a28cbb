import { nodeCrypto } from '../../shared/node-crypto.js';
import { createReadStream } from 'node:fs';
import { ioError } from '../../shared/errors.js';

/** The SHA-256 (hex) of a whole file, read as a stream so a large archive is never held in memory. */
export async function sha256File(path: string | Buffer): Promise<string> {
  const hash = nodeCrypto().createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  } catch (err) {
    throw ioError('read', String(path), err);
  }
  return hash.digest('hex');
}
