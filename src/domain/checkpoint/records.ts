import { emitYaml } from '../../storage/yaml/emit.js';
import type { TreeChange } from '../../storage/git/snapshot.js';

export type FileStatus = 'added' | 'modified' | 'deleted' | 'unchanged';

/** How a manifest names git's change letters. */
export const STATUS: Record<TreeChange['status'], FileStatus> = { A: 'added', M: 'modified', T: 'modified', D: 'deleted' };

/** The one writer of a checkpoint's commit and tag message: its description, then the trailers that identify it. */
export function checkpointMessage(m: { description: string; session: string; checkpoint: string; agent?: string; renumberedFrom?: string }): string {
  const trailers = [`Session-Id: ${m.session}`, `Checkpoint-Id: ${m.checkpoint}`];
  if (m.agent) trailers.push(`Agent: ${m.agent}`);
  if (m.renumberedFrom) trailers.push(`Renumbered-From: ${m.renumberedFrom}`);
  return `${m.description}\n\n${trailers.join('\n')}\n`;
}

/** The description part of a checkpoint commit's message (what checkpointMessage put before the trailers). */
export function checkpointDescription(message: string): string {
  return message.split(/\n\n(?=Session-Id:)/)[0]!.trim();
}

export interface ManifestCheckpoint {
  session: string;
  checkpoint: string;
  date?: string;
  time: string;
  description: string;
  agent?: string;
}

/** The one writer of `snapshots/<checkpoint-id>.yaml`: what the checkpoint is, where it is in git, which files it changed. */
export function checkpointManifestYaml(
  c: ManifestCheckpoint,
  git: { commit: string; parent?: string; tree?: string; tag?: string },
  files: { path: string; status: string }[],
  recoveredBy?: string,
): string {
  return emitYaml({
    checkpoint: { id: c.checkpoint, session: c.session, date: c.date, time: c.time, description: c.description, agent: c.agent },
    git,
    files,
    ...(recoveredBy ? { recovered_by: recoveredBy } : {}),
  });
}
