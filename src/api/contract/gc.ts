import { z } from 'zod';

const kind = z.enum(['session_zip', 'daily', 'milestone', 'safety_snapshot']);
const rule = (what: string) => z.number().nullable().describe(`${what}; null: no such rule.`);

export const gcResult = z.object({
  dry_run: z.boolean().describe('True: nothing was removed or packed; `removed` is what would go.'),
  policy: z.object({
    keep_session_zips: rule('Newest ZIPs of archived sessions kept'),
    session_zip_days: rule('Session ZIPs younger than this many days kept'),
    keep_daily: rule('Newest daily backups kept (null: gc prunes none)'),
    keep_milestones: rule('Newest milestones kept (null: gc prunes none)'),
    safety_days: rule('Safety snapshots older than this many days dropped when other refs hold their content'),
    drop_unique_safety: z.boolean().describe('Old safety snapshots dropped even when they hold content nothing else has.'),
  }).describe('The rules applied: the flags over `retention:` in 04-agents/config.yaml over the defaults.'),
  removed: z.array(z.object({
    kind,
    name: z.string().describe('Session id, date, milestone name, or <session>/<checkpoint> for a safety snapshot.'),
    paths: z.array(z.string()).describe('The files, folders and refs removed together.'),
    bytes: z.number().describe('Bytes of the files removed.'),
  })),
  held_back: z.array(z.object({
    kind,
    name: z.string(),
    reason: z.string().describe('Why it stays: what it holds that nothing else does.'),
  })).describe('What the policy would have dropped but gc kept, because it is the last copy of something.'),
  freed_bytes: z.number().describe('Bytes of all the files removed.'),
  loose_objects: z.object({
    count: z.number().describe('Loose objects before (`git count-objects -v`).'),
    gc_auto: z.number().describe("git's gc.auto (default 6700; 0: never pack)."),
    packed: z.boolean().describe('count was above gc_auto, so they were (or, in a dry run, would be) packed with `git repack -d -l`.'),
    after: z.number().nullable().describe('Loose objects after; null in a dry run.'),
  }),
});

/** What `gc` returns (also `specmap gc --json`). */
export type GcResult = z.infer<typeof gcResult>;
