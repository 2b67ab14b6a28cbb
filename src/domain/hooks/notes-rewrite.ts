import type { Project } from '../project/project.js';
import { changeLocalConfigValue, configValues } from '../../storage/git/commits.js';
import { HOOK_RULES } from './rules.js';

/**
 * git's own copy of a note to the commit it is rewritten into (`notes.rewriteRef`, for amend and rebase): set with
 * the hooks, so the line attribution follows a rewrite even before the post-rewrite hook's background work ran, or
 * where a hook manager runs no post-rewrite hook. Only our value is added or removed; others stay. Lock held.
 */
export async function setNotesRewrite(project: Project, on: boolean): Promise<boolean> {
  const values = await configValues(project.git, 'notes.rewriteRef');
  const has = values.includes(HOOK_RULES.notesRef);
  if (on && !has) await changeLocalConfigValue(project.git, 'notes.rewriteRef', HOOK_RULES.notesRef, 'add');
  if (!on && has) await changeLocalConfigValue(project.git, 'notes.rewriteRef', HOOK_RULES.notesRef, 'remove');
  return on !== has;
}
