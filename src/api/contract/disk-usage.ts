import { z } from 'zod';

const bytes = (what: string) => z.number().describe(`${what}, in bytes.`);

export const sessionDiskUsage = z.object({
  session_id: z.string(),
  state: z.enum(['active', 'archive', 'no-folder']).describe("Where its folder is; 'no-folder': a ref or ZIP without one here (an orphan, or another worktree's session)."),
  checkpoints: z.number().describe('Checkpoint tags (refs/tags/checkpoints/<id>/*).'),
  safety_snapshots: z.number().describe('Safety snapshots before destructive agent commands (refs/specmap/safety/<id>/*).'),
  git_bytes: bytes("What git stores for the objects the session's refs reach and no branch, user tag, remote branch or HEAD does (`git rev-list --objects --disk-usage`)"),
  unique_bytes: bytes("Of git_bytes, the objects no other ref reaches at all: what git could free once this session's refs were gone"),
  transcript_bytes: bytes("The objects of its transcript (refs/specmap/transcripts/<id>) beyond the user's refs"),
  zip: z.string().nullable().describe('Its session ZIP (project-relative), or null.'),
  zip_bytes: bytes('The ZIP with its manifest and .sha256 record'),
  workspace_bytes: bytes('The files of its folder'),
});

const backupsUse = z.object({
  count: z.number(),
  disk_bytes: bytes('Their folders and ZIPs with manifests'),
  git_bytes: bytes("The objects their refs reach beyond the user's refs"),
});

export const diskUsageResult = z.object({
  sessions: z.array(sessionDiskUsage).describe('Every session (or the one asked for), by id.'),
  totals: z.object({
    sessions: z.number(),
    checkpoints: z.number(),
    git_bytes: bytes("Every object specmap's refs reach beyond the user's refs, shared ones counted once"),
    transcript_bytes: bytes("Every transcript's objects beyond the user's refs"),
    session_zip_bytes: bytes('Every session ZIP with its records'),
    workspace_bytes: bytes('Every session folder'),
    daily: backupsUse,
    milestones: backupsUse,
    turn_baselines: z.object({ count: z.number(), git_bytes: bytes("Objects of refs/specmap/turns/* beyond the user's refs") }),
    fetched: z.object({ refs: z.number(), git_bytes: bytes("Objects of what `specmap pull` fetched (refs/remotes/<remote>/sessions/…) beyond the user's refs") }),
  }),
  objects: z.object({
    loose_count: z.number().describe('Loose objects (`git count-objects -v`).'),
    loose_bytes: bytes('Their files'),
    packs: z.number(),
    packed_objects: z.number(),
    pack_bytes: bytes('The files of objects/pack/'),
    gc_auto: z.number().describe("git's gc.auto: `specmap gc` packs the loose objects once there are more; 0 turns packing off."),
  }),
});

/** What `diskUsage` returns (also `specmap du --json`). */
export type DiskUsageResult = z.infer<typeof diskUsageResult>;
