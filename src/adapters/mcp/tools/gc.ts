import { z } from 'zod';
import { gc as collectGarbage } from '../../../api/gc.js';
import { gcResult } from '../../../api/contract/gc.js';
import { count, humanBytes, projectPath } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

const countField = (what: string) => z.number().int().min(0).max(1_000_000).optional().describe(what);

export const gc = defineTool('gc', {
  title: 'Apply the retention policy',
  description:
    'Free disk space: remove old session ZIPs, daily and milestone backups and safety snapshots as the retention ' +
    'policy says (these arguments over retention: in 04-agents/config.yaml over the defaults), then pack loose git ' +
    'objects. It never removes the last copy of anything; what it keeps for that reason is in held_back. Call it ' +
    'with dry_run: true first to see what would go.',
  input: {
    project_path: projectPath,
    dry_run: z.boolean().optional().describe('Only report what would be removed and packed; change nothing.'),
    keep_session_zips: countField('Newest ZIPs of archived sessions to keep (default: retention.session_zips, else 10).'),
    older_than_days: countField('Keep session ZIPs younger than this many days (default: retention.session_zip_days, else no age rule).'),
    keep_daily: countField('Prune daily backups to this many (default: retention.daily, else none pruned).'),
    keep_milestones: countField('Prune milestone backups to this many (default: retention.milestones, else none pruned).'),
    safety_older_than_days: countField('Drop safety snapshots older than this many days whose content other refs hold (default: retention.safety_days, else 30).'),
    drop_unique_safety: z.boolean().optional().describe('Also drop old safety snapshots that hold content nothing else has.'),
  },
  output: gcResult.shape,
  // It deletes backup files and refs (never the last copy); the annotation does not know about dry_run.
  annotations: { readOnlyHint: false, destructiveHint: true },
  run: async (a, ctx) => {
    const r = await collectGarbage({
      cwd: await projectDir(ctx, a.project_path), dryRun: a.dry_run, keepSessionZips: a.keep_session_zips, olderThanDays: a.older_than_days,
      keepDaily: a.keep_daily, keepMilestones: a.keep_milestones, safetyOlderThanDays: a.safety_older_than_days, dropUniqueSafety: a.drop_unique_safety,
    });
    const lines = [r.removed.length === 0
      ? (r.dry_run ? 'Dry run: nothing would be removed.' : 'Nothing to remove.')
      : `${r.dry_run ? 'Dry run: would remove' : 'Removed'} ${count(r.removed.length, 'item')}, ${humanBytes(r.freed_bytes)}:`];
    for (const x of r.removed) lines.push(`- ${x.kind} ${x.name}: ${x.paths.join(', ')}`);
    for (const x of r.held_back) lines.push(`Kept ${x.kind} ${x.name}: ${x.reason}`);
    const o = r.loose_objects;
    lines.push(o.packed ? `Loose objects: ${o.count}, above gc.auto (${o.gc_auto}): ${r.dry_run ? 'would pack them' : `packed, ${o.after} left`}` : `Loose objects: ${o.count}, nothing to pack`);
    return { text: lines.join('\n'), data: r };
  },
});
