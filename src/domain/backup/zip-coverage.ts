import { sha256Hex } from '../../shared/node-crypto.js';
import { existsSync, lstatSync } from 'node:fs';
import { isSpecmapError } from '../../shared/errors.js';
import { abs, checkpointTagName, sessionRefName } from '../../shared/layout.js';
import { pathBytes, rawJoin } from '../../shared/path-text.js';
import { sha256File } from '../../storage/fs/file-sha256.js';
import { isAncestor } from '../../storage/git/commits.js';
import { commitsComplete } from '../../storage/git/disk-use.js';
import type { RefDetail } from '../../storage/git/refs.js';
import { TRANSCRIPT_FILE, sessionTranscript } from '../agent/transcripts.js';
import type { BackupEntry } from './catalog.js';
import { readManifest } from './manifest.js';
import type { Project } from '../project/project.js';
import { loadSession, type SessionHandle } from '../session/store.js';

const SNAPSHOT = /^snapshots\/([^/]+)\/./;

/**
 * Why a session ZIP is the only copy of something, or undefined when everything in it is held elsewhere: every
 * checkpoint's files by git (its commit held by the session's tag or chain, every object of it present), the
 * transcript by refs/specmap/transcripts/<id> (byte for byte), and every other file by the archived session folder
 * (byte for byte). Judged against the ZIP's manifest, after checking that the ZIP is the one the manifest describes.
 * `refs`: every ref of the repository (for the checkpoint tags). The one coverage check: `gc` and `backup prune
 * --sessions` drop a session ZIP only when it returns undefined.
 */
export async function zipOnlyCopyOf(project: Project, zip: BackupEntry, h: SessionHandle | undefined, refs: RefDetail[]): Promise<string | undefined> {
  if (!h || h.state !== 'archive') return 'its session has no archived folder here, so the ZIP holds the only copy of the workspace';
  if (!zip.manifest) return 'it has no manifest (written before specmap recorded them), so what it holds cannot be checked against the copies';
  const read = readManifest(abs(project.root, zip.manifest), zip.manifest);
  if (!read.manifest?.files || !read.manifest.archive_sha256) return read.problem ?? `${zip.manifest} lists no files to check against the copies`;
  if (await sha256File(abs(project.root, zip.zip)) !== read.manifest.archive_sha256) {
    return `it is not the archive ${zip.manifest} describes (run 'specmap backup verify ${zip.name}')`;
  }

  let doc;
  try {
    doc = loadSession(h);
  } catch (err) {
    if (isSpecmapError(err)) return `its session.yaml cannot be read (${err.message})`;
    throw err;
  }
  // Checkpoints whose commits the session's refs still hold; their files in the ZIP are git's to give back.
  const tags = new Map(refs.map((r) => [r.ref, r.peeled ?? r.oid]));
  const inGit = new Map<string, string>();
  for (const c of doc.checkpoints) {
    if (!c.commit) continue;
    const held = tags.get(`refs/tags/${checkpointTagName(h.id, c.id)}`) === c.commit || await isAncestor(project.git, c.commit, sessionRefName(h.id));
    if (held) inGit.set(c.id, c.commit);
  }
  const complete = await commitsComplete(project.git, [...inGit.values()]);
  if (!complete.ok) return `git no longer has every object of its checkpoints (${complete.problem})`;

  let transcript: string | undefined;
  for (const f of read.manifest.files) {
    const cp = SNAPSHOT.exec(f.path)?.[1];
    if (cp !== undefined && inGit.has(cp)) continue;
    if (cp !== undefined && doc.checkpoints.some((c) => c.id === cp && c.commit)) return `git no longer holds checkpoint ${cp}`;
    if (f.path === TRANSCRIPT_FILE) {
      transcript ??= (await sessionTranscript(project, h.id)) ?? '';
      if (sha256Hex(transcript) !== f.sha256) return 'its transcript is not in git as the ZIP has it';
      continue;
    }
    const path = rawJoin(h.dir, pathBytes(f.path));
    const there = existsSync(path) && lstatSync(path).isFile() && await sha256File(path) === f.sha256;
    if (!there) return `${h.relDir}/${f.path} is not in the session folder as the ZIP has it`;
  }
  return undefined;
}
