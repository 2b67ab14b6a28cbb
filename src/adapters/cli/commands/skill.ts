import { installSkill, type SkillInstallResult } from '../../../domain/agent/claude-setup.js';
import { SpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';

const TEXT: Record<SkillInstallResult['action'], string> = {
  written: '✅ Skill installed',
  replaced: '✅ Skill replaced',
  unchanged: '✓ Skill already installed',
};

export async function run(ctx: CommandContext, action: string, name: string, opts: { force?: boolean }): Promise<void> {
  if (action !== 'install') throw new SpecmapError('USAGE', `skill takes install, not ${JSON.stringify(action)}`);
  ctx.out.result(await installSkill({ cwd: ctx.cwd, name, force: opts.force }), (r) => `${TEXT[r.action]}: ${r.file}`);
}
