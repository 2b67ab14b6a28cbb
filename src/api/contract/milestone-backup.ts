import { z } from 'zod';
import { backupWritten } from './daily-backup.js';

export const milestoneBackupResult = backupWritten.extend({ kind: z.literal('milestone') });

/** What `milestoneBackup` returns (also `specmap backup milestone --json`). */
export type MilestoneBackupResult = z.infer<typeof milestoneBackupResult>;
