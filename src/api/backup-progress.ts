/**
 * The progress callbacks of the long verbs (backups, checkpoint, end, restores, push, pull): the phase, and the
 * files (or objects) and bytes done of their totals when known. BackupProgress is the name it had first.
 */
export type { Progress, Progress as BackupProgress, ProgressFn, ProgressPhase } from '../shared/progress.js';
