import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dailyManifest, dailyRef, dailyZip, milestoneManifest, milestoneTag, milestoneZip } from './backup-layout.js';
import { DAILY_BACKUPS_DIR, MILESTONE_BACKUPS_DIR, SESSION_BACKUPS_DIR, abs } from './layout.js';
import { openProject, type Project, type ProjectOptions } from './project.js';
import { listRefs } from '../git/index.js';

export type BackupKind = 'session' | 'daily' | 'milestone';

export interface BackupEntry {
  kind: BackupKind;
  /** Session id, date, or milestone name. */
  name: string;
  /** Project-relative ZIP path (it may be missing when only the git copy is left). */
  zip: string;
  zipExists: boolean;
  manifest?: string;
  /** The git copy: refs/backups/daily/<date> or refs/tags/milestones/<name>. */
  ref?: string;
  refExists: boolean;
  bytes: number;
  files?: number;
  /** ISO time the backup was written (manifest timestamp, else the ZIP's mtime). */
  written?: string;
}

function manifestFacts(path: string): { files?: number; written?: string } {
  if (!existsSync(path)) return {};
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as { files?: unknown[]; timestamp?: string };
    return { files: Array.isArray(m.files) ? m.files.length : undefined, written: m.timestamp };
  } catch {
    return {};
  }
}

function zipFacts(path: string): { exists: boolean; bytes: number; mtime?: string } {
  if (!existsSync(path)) return { exists: false, bytes: 0 };
  const st = statSync(path);
  return { exists: true, bytes: st.size, mtime: st.mtime.toISOString() };
}

const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')).sort() : []);

/** Every backup of the project, from the folders and from the git refs, so one whose ZIP was lost still shows. */
export async function catalogBackups(project: Project): Promise<BackupEntry[]> {
  const out: BackupEntry[] = [];
  for (const name of list(abs(project.root, SESSION_BACKUPS_DIR))) {
    const m = /^(.+)-backup\.zip$/.exec(name);
    if (!m) continue;
    const zip = `${SESSION_BACKUPS_DIR}/${name}`;
    const z = zipFacts(abs(project.root, zip));
    out.push({ kind: 'session', name: m[1]!, zip, zipExists: z.exists, refExists: false, bytes: z.bytes, written: z.mtime });
  }

  const dailyRefs = new Set((await listRefs(project.git, 'refs/backups/daily/')).map((r) => r.ref.slice('refs/backups/daily/'.length)));
  const dates = new Set([...list(abs(project.root, DAILY_BACKUPS_DIR)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)), ...dailyRefs]);
  for (const date of [...dates].sort()) {
    const z = zipFacts(abs(project.root, dailyZip(date)));
    const facts = manifestFacts(abs(project.root, dailyManifest(date)));
    out.push({
      kind: 'daily', name: date, zip: dailyZip(date), zipExists: z.exists, manifest: dailyManifest(date), ref: dailyRef(date),
      refExists: dailyRefs.has(date), bytes: z.bytes, files: facts.files, written: facts.written ?? z.mtime,
    });
  }

  const tags = new Set((await listRefs(project.git, 'refs/tags/milestones/')).map((r) => r.ref.slice('refs/tags/milestones/'.length)));
  const names = new Set([
    ...list(abs(project.root, MILESTONE_BACKUPS_DIR)).filter((n) => n.endsWith('.zip')).map((n) => n.slice(0, -4)),
    ...tags,
  ]);
  for (const name of [...names].sort()) {
    const z = zipFacts(abs(project.root, milestoneZip(name)));
    const facts = manifestFacts(abs(project.root, milestoneManifest(name)));
    out.push({
      kind: 'milestone', name, zip: milestoneZip(name), zipExists: z.exists, manifest: milestoneManifest(name),
      ref: `refs/tags/${milestoneTag(name)}`, refExists: tags.has(name), bytes: z.bytes, files: facts.files,
      written: facts.written ?? z.mtime,
    });
  }
  return out;
}

export async function listAllBackups(opts: ProjectOptions): Promise<BackupEntry[]> {
  return catalogBackups(await openProject(opts));
}
