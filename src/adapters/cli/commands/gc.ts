import { gc, type GcResult } from '../../../api/gc.js';
import type { CommandContext } from '../output.js';
import { count, humanBytes } from '../units.js';

const KIND: Record<GcResult['removed'][number]['kind'], string> = {
  session_zip: 'session ZIP', daily: 'daily backup', milestone: 'milestone', safety_snapshot: 'safety snapshot',
};

/** The rules in one line: what is kept, what goes. */
function policyLine(p: GcResult['policy']): string {
  const zips = [
    p.keep_session_zips ? `the ${p.keep_session_zips} newest` : undefined,
    p.session_zip_days !== null ? `any younger than ${p.session_zip_days} days` : undefined,
  ].filter(Boolean).join(', and ');
  const parts = [
    zips ? `session ZIPs: keep ${zips}` : p.keep_session_zips === null && p.session_zip_days === null ? 'session ZIPs: keep all' : 'session ZIPs: drop every one git and its folder hold',
    p.keep_daily !== null ? `daily backups: keep ${p.keep_daily}` : undefined,
    p.keep_milestones !== null ? `milestones: keep ${p.keep_milestones}` : undefined,
    p.safety_days !== null ? `safety snapshots: drop after ${p.safety_days} days${p.drop_unique_safety ? ', even unique ones' : ' when other refs hold them'}` : 'safety snapshots: keep all',
  ].filter(Boolean);
  return `Policy: ${parts.join('; ')}.`;
}

export function renderGc(r: GcResult): string {
  const lines: string[] = [policyLine(r.policy)];
  const would = r.dry_run ? 'Would remove' : 'Removed';
  if (r.removed.length === 0) lines.push(r.dry_run ? 'Nothing would be removed.' : 'Nothing to remove.');
  else {
    lines.push(`${would} ${count(r.removed.length, 'item')}, ${humanBytes(r.freed_bytes)} of files:`);
    for (const x of r.removed) lines.push(`  ${KIND[x.kind]} ${x.name}: ${x.paths.join(', ')}`);
  }
  if (r.held_back.length > 0) {
    lines.push(`Kept ${r.held_back.length} the policy would drop, as the last copy of something:`);
    for (const x of r.held_back) lines.push(`  ${KIND[x.kind]} ${x.name}: ${x.reason}`);
  }
  const o = r.loose_objects;
  if (o.gc_auto <= 0) lines.push(`Loose objects: ${o.count.toLocaleString('en')} (gc.auto is 0: packing is off).`);
  else if (!o.packed) lines.push(`Loose objects: ${o.count}, not above gc.auto (${o.gc_auto}): nothing to pack.`);
  else if (r.dry_run) lines.push(`Loose objects: ${o.count}, above gc.auto (${o.gc_auto}): would pack them (git repack -d -l).`);
  else lines.push(`Loose objects: ${o.count} -> ${o.after}, packed (above gc.auto, ${o.gc_auto}).`);
  return lines.join('\n');
}

export interface GcFlags {
  keepSessionZips?: number;
  olderThan?: number;
  keepDaily?: number;
  keepMilestones?: number;
  safetyOlderThan?: number;
  dropUniqueSafety?: boolean;
  dryRun?: boolean;
}

/** `specmap gc`: the retention policy, then packing of loose objects past gc.auto. */
export async function run(ctx: CommandContext, flags: GcFlags): Promise<void> {
  const r = await gc({
    cwd: ctx.cwd,
    keepSessionZips: flags.keepSessionZips,
    olderThanDays: flags.olderThan,
    keepDaily: flags.keepDaily,
    keepMilestones: flags.keepMilestones,
    safetyOlderThanDays: flags.safetyOlderThan,
    dropUniqueSafety: flags.dropUniqueSafety,
    dryRun: flags.dryRun,
  });
  ctx.out.result(r, renderGc);
}
