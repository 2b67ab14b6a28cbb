import { createRequire } from 'node:module';

type Crypto = typeof import('node:crypto');
let lib: Crypto | undefined;

/**
 * node:crypto, loaded on first use: loading it costs 2-3 ms of every start, and the commands agents call most
 * (checkpoint, log, list) hash nothing. Modules that hash call this where they hash, never at import.
 */
export function nodeCrypto(): Crypto {
  lib ??= createRequire(import.meta.url)('node:crypto') as Crypto;
  return lib;
}

/** The SHA-256 of `data` (a string is hashed as UTF-8), in hex. */
export function sha256Hex(data: string | Buffer): string {
  return nodeCrypto().createHash('sha256').update(data).digest('hex');
}
