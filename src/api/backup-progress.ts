/** The progress callbacks of the long backup verbs (daily, milestone, verify): phase, files and bytes done. */
export type { BackupProgress, ProgressFn } from '../domain/backup/export.js';
