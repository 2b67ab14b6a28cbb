import { emitYaml } from '../../storage/yaml/emit.js';
import type { TreeChange } from '../../storage/git/snapshot.js';
import { trailerBlock } from '../../storage/git/parse/log.js';

export type FileStatus = 'added' | 'modified' | 'deleted' | 'unchanged';

/** How a manifest names git's change letters. */
export const STATUS: Record<TreeChange['status'], FileStatus> = { A: 'added', M: 'modified', T: 'modified', D: 'deleted' };

/**
 * What marks a checkpoint an agent's turn (taken by its hooks at a turn's end, or before a destructive command) rather
 * than one someone asked for: the agent that ran the turn, and the tree the turn was counted from (its baseline,
 * docs/decisions/0006), so line attribution can tell the turn's own lines from edits made before it began.
 */
export interface TurnTrailers {
  agent: string;
  baseline?: string;
}

export const TURN_TRAILERS = { agent: 'Agent-Turn', baseline: 'Turn-Baseline' } as const;

/**
 * The one writer of a checkpoint's commit and tag message: its description as written, then the trailers that
 * identify it, always as the last paragraph. Readers take trailers from that paragraph only (`trailer()` in
 * storage/git/parse/log.ts), so a description cannot forge one: `…\n\nSession-Id: other` stays description text.
 * A trailer value is one line (line breaks become spaces), so it cannot open a paragraph of its own.
 */
export function checkpointMessage(m: { description: string; session: string; checkpoint: string; agent?: string; renumberedFrom?: string; turn?: TurnTrailers }): string {
  const one = (v: string) => v.replace(/[\r\n]+/g, ' ');
  const trailers = [`Session-Id: ${one(m.session)}`, `Checkpoint-Id: ${one(m.checkpoint)}`];
  if (m.agent) trailers.push(`Agent: ${one(m.agent)}`);
  if (m.renumberedFrom) trailers.push(`Renumbered-From: ${one(m.renumberedFrom)}`);
  if (m.turn) {
    trailers.push(`${TURN_TRAILERS.agent}: ${one(m.turn.agent)}`);
    if (m.turn.baseline) trailers.push(`${TURN_TRAILERS.baseline}: ${one(m.turn.baseline)}`);
  }
  return `${m.description}\n\n${trailers.join('\n')}\n`;
}

/** The description part of a checkpoint commit's message: everything before its last paragraph, the trailers. */
export function checkpointDescription(message: string): string {
  return trailerBlock(message).body.trim();
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
