import { blame, type BlameResult } from '../../../api/blame.js';
import type { CommandContext } from '../output.js';

/** Who wrote the line, as the extra column shows it. */
function who(l: BlameResult['lines'][number]): string {
  if (l.by === 'ai') return `${l.agent ?? 'ai'}${l.session_id ? ` ${l.session_id}` : ''}`;
  if (l.by === 'uncommitted') return 'not committed';
  return l.by === 'human' ? 'human' : '-';
}

/** Like `git blame`: commit, the column of who wrote the line, (author date line) content. */
export function renderBlame(r: BlameResult): string {
  if (r.lines.length === 0) return '';
  const whoWidth = Math.max(...r.lines.map((l) => who(l).length));
  const authorWidth = Math.max(...r.lines.map((l) => l.author.length));
  const lineWidth = String(r.lines.length).length;
  return r.lines.map((l) => {
    const commit = l.commit ? l.commit.slice(0, 8) : '00000000';
    const date = l.author_time ? l.author_time.slice(0, 10) : '          ';
    return `${commit} ${who(l).padEnd(whoWidth)} (${l.author.padEnd(authorWidth)} ${date} ${String(l.line).padStart(lineWidth)}) ${l.content}`;
  }).join('\n');
}

export async function run(ctx: CommandContext, file: string, opts: { rev?: string }): Promise<void> {
  ctx.out.result(await blame({ cwd: ctx.cwd, file, ...(opts.rev !== undefined ? { rev: opts.rev } : {}) }), renderBlame);
}
