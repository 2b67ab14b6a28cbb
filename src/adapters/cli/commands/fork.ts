import { fork, type ForkResult } from '../../../api/fork.js';
import { parseCheckpointSpec } from '../../../shared/checkpoint-spec.js';
import type { CommandContext } from '../output.js';

export function renderFork(r: ForkResult): string {
  return [
    `🍴 Forked ${r.forked_from.session_id}:${r.forked_from.checkpoint_id} -> ${r.session_id}`,
    `📂 Worktree: ${r.worktree} (detached HEAD at ${r.base_commit.slice(0, 12)})`,
    `📁 Workspace: ${r.workspace}`,
    `🎯 Focus: ${r.focus}`,
    `🤖 Agent: ${r.agent}`,
    `   Run the agent there: cd ${r.worktree}`,
  ].join('\n');
}

/** `specmap fork <session>:<checkpoint> [focus]`: a bare checkpoint is one of the only active session's. */
export async function run(ctx: CommandContext, fromText: string, focus: string | undefined, opts: { worktree?: string; agent?: string }): Promise<void> {
  const result = await fork({ cwd: ctx.cwd, from: parseCheckpointSpec(fromText), focus, agent: opts.agent, worktree: opts.worktree });
  ctx.out.result(result, renderFork);
}
