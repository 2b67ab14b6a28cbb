import { z } from 'zod';

export const installSkillResult = z.object({
  file: z.string().describe('The SKILL.md written, relative to the project root.'),
  action: z.enum(['written', 'unchanged', 'replaced']).describe('replaced: a copy you had edited was replaced (force).'),
});

/** What `installSkill` returns (also `specmap skill install --json`). */
export type InstallSkillResult = z.infer<typeof installSkillResult>;
