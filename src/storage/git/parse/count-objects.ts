/** `git count-objects -v`: loose objects, packs, and what git calls garbage. Sizes as git prints them, in KiB. */
export interface CountObjects {
  /** Loose objects. */
  count: number;
  /** Disk space the loose objects take, in KiB. */
  sizeKib: number;
  /** Objects in packs. */
  inPack: number;
  packs: number;
  /** Disk space the packs take, in KiB. */
  sizePackKib: number;
  /** Loose objects that are also in a pack (`git prune-packed` removes them). */
  prunePackable: number;
  garbage: number;
  sizeGarbageKib: number;
}

/** Parses `git count-objects -v` output (`key: value` lines); a key git did not print is 0. */
export function parseCountObjects(stdout: string): CountObjects {
  const v = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^([a-z-]+): (\d+)$/.exec(line.trim());
    if (m) v.set(m[1]!, Number(m[2]));
  }
  const n = (key: string) => v.get(key) ?? 0;
  return {
    count: n('count'), sizeKib: n('size'), inPack: n('in-pack'), packs: n('packs'), sizePackKib: n('size-pack'),
    prunePackable: n('prune-packable'), garbage: n('garbage'), sizeGarbageKib: n('size-garbage'),
  };
}

/** Parses `git rev-list --disk-usage` output: the byte count, after any `-<oid>` edge lines `--objects-edge` prints. */
export function parseDiskUsage(stdout: string): number {
  const last = stdout.split('\n').filter((l) => l.length > 0 && !l.startsWith('-')).pop();
  return last !== undefined && /^\d+$/.test(last) ? Number(last) : 0;
}
