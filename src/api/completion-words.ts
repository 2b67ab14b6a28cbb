import { resolve } from 'node:path';
import { COMPLETION_KINDS, completionWords as wordsIn, worktreeRootOf, type CompletionKind } from '../domain/completion/words.js';

export { COMPLETION_KINDS, type CompletionKind } from '../domain/completion/words.js';

export interface CompletionWordsOptions {
  /** A folder inside the worktree (default: the process's). */
  cwd?: string;
  kind: CompletionKind;
  /** What is typed so far: only candidates starting with it are returned. */
  word: string;
  /** The word before it (checkpoint-of-prev: the session whose checkpoints to offer). */
  previous?: string;
}

/**
 * Shell completion's candidates (`specmap __complete`). Not a verb and not in the library: it opens no transaction —
 * no git, no lock, no settling of queued hook work — because it runs on every Tab; it reads the session and backup
 * folders of the worktree holding `cwd` (found by its `.git`) and returns [] for anything it cannot read.
 */
export function completionWords(opts: CompletionWordsOptions): string[] {
  if (!(COMPLETION_KINDS as readonly string[]).includes(opts.kind)) return [];
  const root = worktreeRootOf(resolve(opts.cwd ?? '.'));
  return root === undefined ? [] : wordsIn(root, opts.kind, opts.word, opts.previous);
}
