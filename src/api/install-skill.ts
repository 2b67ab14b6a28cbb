import { checkSkillName, installSkill as writeSkill } from '../domain/agent/claude-setup.js';
import type { InstallSkillResult } from './contract/install-skill.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { InstallSkillResult } from './contract/install-skill.js';

export interface InstallSkillOptions extends ProjectOptions {
  /** The skill: specmap-session-manager. */
  name: string;
  /** Replace a copy that differs from specmap's (else CONFLICT). */
  force?: boolean;
}

/**
 * Writes a Claude Code skill to .claude/skills/<name>/SKILL.md. An unknown name is INVALID_INPUT; a copy you edited
 * is kept (CONFLICT, details.kind 'skill-edited') unless `force`.
 *
 * @example
 * await installSkill({ cwd: '/repo', name: 'specmap-session-manager' });
 * // → { file: '.claude/skills/specmap-session-manager/SKILL.md', action: 'written' }
 */
export async function installSkill(opts: InstallSkillOptions): Promise<InstallSkillResult> {
  const name = checkSkillName(opts.name);
  return transaction(opts, 'write', ({ project }) => writeSkill(project, { name, force: opts.force }));
}
