import type { CheckMark } from '../../../storage/rclone/commands.js';

export interface OffsiteProblem {
  /** The file, relative to the backups folder and the remote root; '' for the backup as a whole. */
  path: string;
  problem: string;
}

const SAID: Record<Exclude<CheckMark, '='>, string> = {
  '+': 'missing on the remote',
  '*': 'differs between here and the remote (rclone check)',
  '-': 'only on the remote',
  '!': 'rclone could not read or compare it',
};

/** What `rclone check --combined` found wrong, one problem per file (`=` lines are fine). */
export function checkProblems(lines: { mark: CheckMark; path: string }[]): OffsiteProblem[] {
  return lines.filter((l) => l.mark !== '=').map((l) => ({ path: l.path, problem: SAID[l.mark as Exclude<CheckMark, '='>] }));
}
