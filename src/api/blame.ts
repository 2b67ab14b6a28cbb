import { attributedBlame } from '../domain/attribution/blame.js';
import { SpecmapError } from '../shared/errors.js';
import { toProjectPath } from '../storage/fs/project-path.js';
import type { BlameResult } from './contract/blame.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { BlameResult } from './contract/blame.js';

export interface BlameOptions extends ProjectOptions {
  /** The file: relative to `cwd`, or absolute; it must resolve inside the project. */
  file: string;
  /** Blame the file as this revision has it (default: the working tree). */
  rev?: string;
}

/**
 * `git blame` with one thing more per line: whether an agent (which, in which session and checkpoint) or a person
 * wrote it, from the Agent Trace note (refs/notes/specmap) of the commit that last changed the line. Queued commits
 * are recorded first, so their notes are there.
 *
 * @example
 * await blame({ cwd: '/repo', file: 'src/auth.ts' });
 * // → { file: 'src/auth.ts', rev: null, lines: [{ line: 1, commit: '4f1c…', by: 'ai', agent: 'claude', session_id: '2025-10-25-session-001-auth', … }], summary: { ai: 1, human: 0, unknown: 0, uncommitted: 0 } }
 */
export async function blame(opts: BlameOptions): Promise<BlameResult> {
  if (opts.rev !== undefined && (opts.rev === '' || opts.rev.startsWith('-') || /[\s\0]/.test(opts.rev))) {
    throw new SpecmapError('INVALID_INPUT', `invalid revision ${JSON.stringify(opts.rev.slice(0, 60))}`, { kind: 'rev' });
  }
  return transaction(opts, 'read', async ({ project, cwd }) => {
    const file = toProjectPath(project.root, cwd, opts.file);
    const lines = await attributedBlame(project, file, opts.rev);
    const summary = { ai: 0, human: 0, unknown: 0, uncommitted: 0 };
    for (const l of lines) summary[l.by]++;
    return {
      file,
      rev: opts.rev ?? null,
      lines: lines.map((l) => ({
        line: l.line,
        commit: l.commit ?? null,
        author: l.author,
        author_time: l.commit ? new Date(l.authorTime * 1000).toISOString() : null,
        by: l.by,
        agent: l.agent ?? null,
        session_id: l.session ?? null,
        checkpoint_id: l.checkpoint ?? null,
        content: l.content,
      })),
      summary,
    };
  });
}
