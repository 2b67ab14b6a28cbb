import { existsSync, readFileSync } from 'node:fs';
import { catalogBackups, type BackupEntry, type BackupKind } from './backup-catalog.js';
import { compareWithGit, hashZipEntries, type ManifestFile, type ProgressFn } from './backup-export.js';
import { SpecmapError, isSpecmapError } from './errors.js';
import { abs } from './layout.js';
import { openProject, type Project, type ProjectOptions } from './project.js';

export interface VerifyProblem {
  /** The file inside the backup, or '' for the backup as a whole. */
  path: string;
  problem: string;
}

export interface VerifyResult {
  kind: BackupKind;
  name: string;
  zip: string;
  ok: boolean;
  files: number;
  problems: VerifyProblem[];
}

export interface VerifyOptions extends ProjectOptions {
  /** A session id, date or milestone name (or a unique prefix); undefined checks every backup. */
  target?: string;
  onProgress?: ProgressFn;
}

function pick(all: BackupEntry[], target: string): BackupEntry[] {
  const exact = all.filter((b) => b.name === target || b.zip === target);
  if (exact.length > 0) return exact;
  const prefix = all.filter((b) => b.name.startsWith(target));
  if (prefix.length === 1) return prefix;
  if (prefix.length > 1) {
    throw new SpecmapError('SESSION_AMBIGUOUS', `backup '${target}' is ambiguous: ${prefix.map((b) => `${b.kind} ${b.name}`).join(', ')}`);
  }
  throw new SpecmapError('BACKUP_NOT_FOUND', `no backup matches '${target}' (see 'specmap backup list')`);
}

/**
 * Re-reads every ZIP (each entry's CRC), compares each file with the manifest's size and SHA-256, and compares the
 * ZIP with its git copy. Every difference is reported per file; nothing is repaired.
 */
export async function verifyBackups(opts: VerifyOptions): Promise<VerifyResult[]> {
  const project = await openProject(opts);
  const all = await catalogBackups(project);
  const chosen = opts.target === undefined ? all : pick(all, opts.target);
  const results: VerifyResult[] = [];
  for (const b of chosen) results.push(await verifyOne(project, b, opts.onProgress));
  return results;
}

async function verifyOne(project: Project, b: BackupEntry, onProgress?: ProgressFn): Promise<VerifyResult> {
  const problems: VerifyProblem[] = [];
  let files = 0;
  if (!b.zipExists) {
    problems.push({ path: '', problem: b.refExists ? 'the ZIP is missing (restore can still use the git copy)' : 'the ZIP is missing' });
  } else {
    try {
      const entries = await hashZipEntries(abs(project.root, b.zip), onProgress, 'verify');
      files = entries.length;
      if (b.manifest) problems.push(...compareWithManifest(project, b.manifest, entries));
      if (b.ref && b.refExists) problems.push(...(await compareWithGit(project, b.ref, entries)));
    } catch (err) {
      if (!isSpecmapError(err)) throw err;
      problems.push({ path: '', problem: err.message });
    }
  }
  if (b.ref && !b.refExists) problems.push({ path: '', problem: `the git copy ${b.ref} is missing` });
  return { kind: b.kind, name: b.name, zip: b.zip, ok: problems.length === 0, files, problems };
}

function compareWithManifest(project: Project, manifestRel: string, entries: { path: string; size: number; sha256: string }[]): VerifyProblem[] {
  const path = abs(project.root, manifestRel);
  if (!existsSync(path)) return [{ path: '', problem: `${manifestRel} is missing` }];
  let listed: ManifestFile[];
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as { files?: ManifestFile[] };
    if (!Array.isArray(m.files)) throw new Error('no files list');
    listed = m.files;
  } catch (err) {
    return [{ path: '', problem: `${manifestRel} is unreadable: ${(err as Error).message}` }];
  }
  const problems: VerifyProblem[] = [];
  const inZip = new Map(entries.map((e) => [e.path, e]));
  for (const f of listed) {
    const z = inZip.get(f.path);
    if (!z) problems.push({ path: f.path, problem: 'listed in the manifest but missing from the ZIP' });
    else if (z.size !== f.size) problems.push({ path: f.path, problem: `size ${z.size} in the ZIP, ${f.size} in the manifest` });
    else if (z.sha256 !== f.sha256) problems.push({ path: f.path, problem: 'SHA-256 differs from the manifest' });
  }
  const inManifest = new Set(listed.map((f) => f.path));
  for (const e of entries) if (!inManifest.has(e.path)) problems.push({ path: e.path, problem: 'in the ZIP but not in the manifest' });
  return problems;
}
