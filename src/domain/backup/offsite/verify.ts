import { join } from 'node:path';
import { BACKUPS_DIR } from '../../../shared/layout.js';
import { checkFiles, remoteSha256 } from '../../../storage/rclone/commands.js';
import { catalogBackups, type BackupKind } from '../catalog.js';
import type { Project } from '../../project/project.js';
import { checkProblems, type OffsiteProblem } from './check.js';
import { REPAIR, findKept, usualCopy, type KeptSearch } from './kept.js';
import { backupFiles, backupKey } from './layout.js';
import { rclone, readRecord, readRemote, remoteShown, snapshotLocal, withScratch, type LocalSide, type RemoteSide } from './sides.js';

const ORDER: Record<BackupKind, number> = { session: 0, daily: 1, milestone: 2 };
const byKindAndName = (a: { kind: BackupKind; name: string }, b: { kind: BackupKind; name: string }) => ORDER[a.kind] - ORDER[b.kind] || a.name.localeCompare(b.name);

/** Every backup here or there, once, sorted as `backup list` sorts them. */
function union(here: { kind: BackupKind; name: string }[], there: RemoteSide): { kind: BackupKind; name: string }[] {
  const all = new Map<string, { kind: BackupKind; name: string }>();
  for (const b of [...here, ...there.backups.values()]) all.set(backupKey(b.kind, b.name), { kind: b.kind, name: b.name });
  return [...all.values()].sort(byKindAndName);
}

export interface OffsiteListing {
  kind: BackupKind;
  name: string;
  local: 'present' | 'missing';
  /** `incomplete`: the remote has the ZIP without a record of its SHA-256, or the records without the ZIP. */
  remote: 'present' | 'missing' | 'incomplete';
  /** The two records name the same SHA-256; null when one side has none. */
  same: boolean | null;
  localSha256: string | null;
  remoteSha256: string | null;
  remoteBytes: number | null;
}

/** What is here and what is on `remote`, backup by backup, from the records on both sides (nothing is downloaded but records). */
export async function listOffsite(project: Project, remote: string): Promise<{ remote: string; backups: OffsiteListing[] }> {
  return withScratch(project, async (scratch) => {
    const there = await readRemote(rclone(), remote, scratch);
    const here = (await catalogBackups(project)).filter((b) => b.format === 'zip' && b.zipExists);
    const backups = union(here, there).map((k): OffsiteListing => {
      const r = there.backups.get(backupKey(k.kind, k.name));
      const mine = here.find((b) => b.kind === k.kind && b.name === k.name);
      const localSha = mine ? readRecord(join(project.root, BACKUPS_DIR), backupFiles(k.kind, k.name), `${BACKUPS_DIR}/`).sha256 ?? null : null;
      const remoteSha = r?.record.sha256 ?? null;
      return {
        kind: k.kind, name: k.name, local: mine ? 'present' : 'missing',
        remote: !r ? 'missing' : r.present.has(r.files.zip) && remoteSha ? 'present' : 'incomplete',
        same: localSha && remoteSha ? localSha === remoteSha : null, localSha256: localSha, remoteSha256: remoteSha, remoteBytes: r?.zipBytes ?? null,
      };
    });
    return { remote, backups };
  });
}

export interface OffsiteVerified {
  kind: BackupKind;
  name: string;
  ok: boolean;
  /** The remote ZIP, downloaded and hashed, against the remote's record. */
  remote: 'match' | 'mismatch' | 'missing' | 'not-recorded';
  /** The local copy against the remote one: `only-local` when the remote has none. */
  local: 'same' | 'differs' | 'missing' | 'only-local';
  problems: OffsiteProblem[];
}

export interface OffsiteVerifyOutcome {
  remote: string;
  ok: boolean;
  results: OffsiteVerified[];
  notes: string[];
}

function verdict(k: { kind: BackupKind; name: string }, local: LocalSide, there: RemoteSide, hashes: Map<string, string>, kept: Map<string, KeptSearch>, checked: OffsiteProblem[]): OffsiteVerified {
  const key = backupKey(k.kind, k.name);
  const mine = local.backups.get(key);
  const r = there.backups.get(key);
  const files = backupFiles(k.kind, k.name);
  const shown = remoteShown(there.remote);
  const problems: OffsiteProblem[] = [];
  let remote: OffsiteVerified['remote'];
  if (!r || !r.present.has(files.zip)) {
    remote = 'missing';
    problems.push({ path: files.zip, problem: r ? 'the remote has its records but not the ZIP' : 'not on the remote (push it)' });
  } else if (!r.record.sha256) {
    remote = 'not-recorded';
    problems.push({ path: files.manifest, problem: r.record.problem ?? 'no record of the ZIP\'s SHA-256 on the remote' });
  } else {
    const actual = hashes.get(files.zip);
    remote = actual === r.record.sha256 ? 'match' : 'mismatch';
    if (actual === undefined) problems.push({ path: files.zip, problem: `${shown}${files.zip} could not be read` });
    else if (remote === 'mismatch') {
      const why = kept.get(key)?.copy ? 'the ZIP in place is not the one its record names (a push interrupted while it replaced this backup?)' : 'the off-site copy is damaged';
      problems.push({ path: files.zip, problem: `the remote ZIP's SHA-256 is ${actual.slice(0, 16)}…, its record says ${r.record.sha256.slice(0, 16)}…: ${why}` });
    } else {
      // A record beside the ZIP that names another version (a push cut short between two records) is not taken.
      const taken = usualCopy(there, key, actual)!.files.map((f) => f.to);
      for (const f of files.records.filter((x) => r.present.has(x) && !taken.includes(x))) {
        problems.push({ path: f, problem: `does not record the SHA-256 of the ZIP beside it (${actual.slice(0, 16)}…; an interrupted push?): push again to replace it` });
      }
    }
  }
  const copy = kept.get(key)?.copy;
  if (copy) {
    const which = copy.older ? 'the version an interrupted push was replacing' : 'a copy of the version its record names';
    problems.push({ path: copy.dir, problem: `${which} (SHA-256 ${copy.sha256.slice(0, 16)}…) is kept here whole: fetch and restore --from take it; ${REPAIR}` });
  }
  let side: OffsiteVerified['local'];
  if (!mine) side = 'missing';
  else if (!r) side = 'only-local';
  else if (mine.record.sha256 && mine.record.sha256 === r.record.sha256) side = 'same';
  else {
    side = 'differs';
    problems.push({ path: files.manifest, problem: 'the local backup is another version than the remote one (push it to send this one)' });
  }
  if (mine && r) problems.push(...checked.filter((p) => mine.present.includes(p.path) && !problems.some((q) => q.path === p.path)));
  return { kind: k.kind, name: k.name, ok: problems.length === 0, remote, local: side, problems };
}

/**
 * Checks the off-site copy: every remote ZIP downloaded and hashed against the remote's record (the check that
 * still works once the local copies are gone), the records on both sides against each other, and `rclone check
 * --one-way` of the local files against the remote ones (sizes, and hashes when the remote keeps SHA-256). A backup
 * here that is not on the remote fails. Nothing is changed on either side.
 *
 * A backup whose usual place holds no ZIP matching its record still fails, and when a whole copy is kept in
 * `replaced/*\/` (a push interrupted while it replaced it: kept.ts) its problems say where, the one fetch and
 * `restore --from` take.
 */
export async function verifyOffsite(project: Project, remote: string): Promise<OffsiteVerifyOutcome> {
  const rc = rclone();
  return withScratch(project, async (scratch) => {
    const local = await snapshotLocal(project, scratch);
    const notes = [...local.notes];
    for (const [key, b] of local.backups) {
      if (b.record.sha256) continue;
      // push never sends these (their remote copy could not be checked), so they are not missing from the remote.
      local.backups.delete(key);
      notes.push(`${BACKUPS_DIR}/${b.files.zip}: ${b.record.problem}; never sent off-site`);
    }
    const there = await readRemote(rc, remote, scratch);
    const zips = [...there.backups.values()].filter((b) => b.present.has(b.files.zip) && b.record.sha256).map((b) => b.files.zip);
    const hashes = await remoteSha256(rc, remote, zips, scratch);
    const unmatched = [...there.backups.values()].filter((b) => !b.record.sha256 || hashes.get(b.files.zip) !== b.record.sha256).map((b) => backupKey(b.kind, b.name));
    const kept = await findKept(rc, there, scratch, unmatched, (z) => remoteSha256(rc, remote, z, scratch));
    const both = [...local.backups.values()].filter((b) => there.backups.has(backupKey(b.kind, b.name))).flatMap((b) => b.present);
    const check = await checkFiles(rc, local.root, remote, both, scratch);
    const checked = checkProblems(check.lines);
    const results = union([...local.backups.values()], there).map((k) => verdict(k, local, there, hashes, kept, checked));
    if (check.sizesOnly) notes.push('rclone check compared sizes only (the remote keeps no SHA-256 in common with local files); every remote ZIP was downloaded and hashed against its record instead');
    return { remote, ok: results.every((r) => r.ok), results, notes };
  });
}
