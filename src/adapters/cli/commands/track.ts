import { track, type TrackOptions, type TrackResult } from '../../../api/track.js';
import type { CommandContext } from '../output.js';

export function renderTrack(r: TrackResult): string {
  if (!r.changed && r.listed_as === r.action) return `✓ Already tracked: ${r.file_path} (${r.listed_as})`;
  if (r.listed_as !== r.action) return `✅ Tracked: ${r.file_path} (${r.action}; stays listed as ${r.listed_as})`;
  return `✅ Tracked: ${r.file_path} (${r.action})`;
}

export async function run(ctx: CommandContext, session: string, file: string, action: string): Promise<void> {
  ctx.out.result(await track({ cwd: ctx.cwd, session, file, action: action as TrackOptions['action'] }), renderTrack);
}
