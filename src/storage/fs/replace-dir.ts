import { existsSync, renameSync, rmSync } from 'node:fs';
import { tempPathFor } from './atomic-write.js';

/**
 * Puts the finished folder `staging` at `dest`. An existing `dest` is moved aside first and deleted only once the
 * new one is in place, so a failure leaves the old folder where it was.
 */
export function replaceDir(staging: string, dest: string): void {
  if (!existsSync(dest)) {
    renameSync(staging, dest);
    return;
  }
  const old = tempPathFor(dest);
  renameSync(dest, old);
  try {
    renameSync(staging, dest);
  } catch (err) {
    renameSync(old, dest);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}
