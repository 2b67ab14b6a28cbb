/**
 * specmap as a library: every public verb of the CLI and the MCP server, each one transaction on the project that
 * holds `cwd`, returning the same snake_case result that `specmap <command> --json` prints (docs/api.md, and the
 * JSON Schemas in docs/schemas/). Errors are `SpecmapError`s with a stable `code`.
 *
 * @example
 * import { start, track, checkpoint } from 'specmap';
 * const s = await start({ cwd: '/repo', focus: 'authentication feature' });
 * await track({ cwd: '/repo', session: s.session_id, file: 'src/auth.ts', action: 'created' });
 * await checkpoint({ cwd: '/repo', session: s.session_id, description: 'login works' });
 */

// Sessions
export { init, type InitOptions, type InitResult } from './api/init.js';
export { start, type StartOptions, type StartResult } from './api/start.js';
export { track, type TrackOptions, type TrackResult } from './api/track.js';
export { checkpoint, type CheckpointOptions, type CheckpointResult } from './api/checkpoint.js';
export { end, type EndOptions, type EndResult } from './api/end.js';
export { listSessions, type ListSessionsOptions, type ListSessionsResult, type SessionSummary } from './api/list-sessions.js';
export { showSession, type ShowSessionOptions, type ShowSessionResult } from './api/show-session.js';
export { listTemplates, type ListTemplatesOptions, type ListTemplatesResult } from './api/list-templates.js';

// History
export { log, type LogOptions, type LogEntry, type LogResult } from './api/log.js';
export { showCheckpoint, type ShowCheckpointOptions, type ShowCheckpointResult } from './api/show-checkpoint.js';
export { diff, type DiffOptions, type DiffResult, type CheckpointSpec } from './api/diff.js';
export { listCheckpoints, type ListCheckpointsOptions, type ListCheckpointsResult } from './api/list-checkpoints.js';
export { restoreCheckpoint, type RestoreCheckpointOptions, type RestoreCheckpointResult } from './api/restore-checkpoint.js';

// Backups
export { dailyBackup, type DailyBackupOptions, type DailyBackupResult } from './api/daily-backup.js';
export { milestoneBackup, type MilestoneBackupOptions, type MilestoneBackupResult } from './api/milestone-backup.js';
export { listBackups, type ListBackupsOptions, type BackupListing, type ListBackupsResult } from './api/list-backups.js';
export { verifyBackups, type VerifyBackupsOptions, type VerifyBackupsResult } from './api/verify-backups.js';
export { pruneBackups, type PruneBackupsOptions, type PruneBackupsResult } from './api/prune-backups.js';
export { restoreBackup, type RestoreBackupOptions, type RestoreBackupResult } from './api/restore-backup.js';
export { restoreProjectBackup, type RestoreProjectBackupOptions, type RestoreProjectBackupResult } from './api/restore-project-backup.js';
export { completeBackups, type CompleteBackupsResult } from './api/complete-backups.js';
export { offsitePush, type OffsiteOptions, type OffsitePushOptions, type OffsitePushResult } from './api/offsite-push.js';
export { offsitePull, type OffsitePullResult } from './api/offsite-pull.js';
export { offsiteList, type OffsiteListResult } from './api/offsite-list.js';
export { offsiteVerify, type OffsiteVerifyResult } from './api/offsite-verify.js';

// Disk use and retention
export { diskUsage, type DiskUsageOptions, type DiskUsageResult } from './api/disk-usage.js';
export { gc, type GcOptions, type GcResult } from './api/gc.js';

// Hooks and agents
export { installHooks, type InstallHooksOptions, type HooksChangeResult } from './api/install-hooks.js';
export { uninstallHooks, type UninstallHooksOptions } from './api/uninstall-hooks.js';
export { hooksStatus, type HooksStatusOptions, type HooksStatusResult } from './api/hooks-status.js';
export { gitHook, REFUSE_STATUS, type GitHookOptions, type GitHookResult } from './api/git-hook.js';
export { agentEvent, type AgentEventOptions, type AgentEventResult, type AgentEvent } from './api/agent-event.js';
export { installClaude, type InstallClaudeOptions, type InstallClaudeResult } from './api/install-claude.js';
export { installAgentHooks, agentHooksStatus, uninstallAgentHooks, type AgentHooksOptions, type AgentHooksInstallResult, type AgentHooksStatusResult, type AgentHooksUninstallResult } from './api/agent-hooks.js';
export { installSkill, type InstallSkillOptions, type InstallSkillResult } from './api/install-skill.js';

// Across machines
export { push, type PushOptions, type PushResult } from './api/push.js';
export { pull, type PullOptions, type PullResult } from './api/pull.js';
export { renumber, type RenumberOptions, type RenumberResult } from './api/renumber.js';
export { merge, type MergeOptions, type MergeResult } from './api/merge.js';

// Forks: several attempts at one problem
export { fork, type ForkOptions, type ForkResult } from './api/fork.js';
export { compare, type CompareOptions, type CompareResult, type ComparedSession } from './api/compare.js';
// Line attribution
export { blame, type BlameOptions, type BlameResult } from './api/blame.js';
export { stats, type StatsOptions, type StatsResult } from './api/stats.js';

// Health and reports
export { doctor, type DoctorOptions, type DoctorResult } from './api/doctor.js';
export { report, type ReportOptions, type ReportResult } from './api/report.js';

// Shared
export type { ProjectOptions } from './api/transaction.js';
export type { BackupProgress, Progress, ProgressFn, ProgressPhase } from './api/backup-progress.js';
export { SpecmapError, isSpecmapError, EXIT_CODES, type ErrorCode } from './shared/errors.js';
