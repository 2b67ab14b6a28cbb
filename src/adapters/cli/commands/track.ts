import { trackArtifact, type TrackResult } from '../../../domain/session/track.js';
import type { CommandContext } from '../output.js';

export function renderTrack(r: TrackResult): string {
  if (!r.changed && r.listedAs === r.action) return `✓ Already tracked: ${r.path} (${r.listedAs})`;
  if (r.listedAs !== r.action) return `✅ Tracked: ${r.path} (${r.action}; stays listed as ${r.listedAs})`;
  return `✅ Tracked: ${r.path} (${r.action})`;
}

export async function run(ctx: CommandContext, session: string, file: string, action: string): Promise<void> {
  ctx.out.result(await trackArtifact({ cwd: ctx.cwd, session, file, action }), renderTrack);
}
