import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { settings } from '../../shared/settings.js';
import { processAlive } from '../../shared/process-alive.js';

export interface LockOptions {
  /** How long to wait for a live holder before failing with LOCKED. */
  timeoutMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}


function readOwner(path: string): { raw: string; owner?: LockOwner } | undefined {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return { raw, owner: JSON.parse(raw) as LockOwner };
  } catch {
    return { raw };
  }
}


/** A lock is stale when its holder was on this host and is gone, or its file is unreadable garbage. */
function isStale(found: { raw: string; owner?: LockOwner }): boolean {
  const o = found.owner;
  // The file is linked in whole, so unparsable content is debris, never a holder mid-write.
  if (!o || typeof o.pid !== 'number') return true;
  return o.host === hostname() && !processAlive(o.pid);
}

/** Creates the lock with its owner already inside: write a temp file, then link() it (atomic, fails if taken). */
function tryCreate(path: string): boolean {
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(tmp, JSON.stringify(owner), { flag: 'wx' });
  } catch (err) {
    // A full disk creates the file and then fails to write it: it must not stay behind.
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw ioError('create lock file', path, err);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw ioError('create lock file', path, err);
  } finally {
    try { unlinkSync(tmp); } catch { /* nothing to clean */ }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` while holding the lock file at `path` (O_EXCL create). A lock left by a dead process on this host is
 * taken over; a live holder is waited for up to the timeout, then the caller gets one clear LOCKED error.
 */
export async function withLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? settings().lockTimeoutMs;
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    if (tryCreate(path)) break;
    const found = readOwner(path);
    if (found && isStale(found)) {
      // Re-read just before removing, so we never remove a lock another process took over meanwhile.
      const again = readOwner(path);
      if (again && again.raw === found.raw) {
        try { unlinkSync(path); } catch { /* someone else removed it */ }
      }
      continue;
    }
    if (Date.now() >= deadline) {
      const who = found?.owner ? ` by process ${found.owner.pid} on ${found.owner.host} since ${found.owner.since}` : '';
      throw new SpecmapError('LOCKED', `the repository is locked${who} (lock file: ${path})`);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await fn();
  } finally {
    try { unlinkSync(path); } catch { /* already gone: nothing to release */ }
  }
}
