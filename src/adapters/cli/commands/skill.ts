import { installSkill, type InstallSkillResult } from '../../../api/install-skill.js';
import { SpecmapError, isSpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';

const TEXT: Record<InstallSkillResult['action'], string> = {
  written: '✅ Skill installed',
  replaced: '✅ Skill replaced',
  unchanged: '✓ Skill already installed',
};

export async function run(ctx: CommandContext, action: string, name: string, opts: { force?: boolean }): Promise<void> {
  if (action !== 'install') throw new SpecmapError('USAGE', `skill takes install, not ${JSON.stringify(action)}`);
  let r: InstallSkillResult;
  try {
    r = await installSkill({ cwd: ctx.cwd, name, force: opts.force });
  } catch (err) {
    if (isSpecmapError(err) && err.details.kind === 'skill-edited') {
      throw new SpecmapError(err.code, `${err.message} (use --force to replace it)`, err.details);
    }
    throw err;
  }
  ctx.out.result(r, (x) => `${TEXT[x.action]}: ${x.file}`);
}
