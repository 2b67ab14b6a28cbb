import { completionWords, type CompletionKind } from '../../../api/completion-words.js';
import type { CommandContext } from '../output.js';

/** `specmap __complete <kind> [word] [previous]`: one candidate a line, for the completion scripts. */
export async function run(ctx: CommandContext, kind: string, word: string, previous: string | undefined): Promise<void> {
  const words = completionWords({ cwd: ctx.cwd, kind: kind as CompletionKind, word, previous });
  if (words.length > 0) process.stdout.write(`${words.join('\n')}\n`);
}
