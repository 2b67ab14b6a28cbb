import { listTemplates as listTemplatesIn } from '../domain/session/templates.js';
import type { ListTemplatesResult } from './contract/list-templates.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { ListTemplatesResult } from './contract/list-templates.js';

export type ListTemplatesOptions = ProjectOptions;

/**
 * The workspace templates `start` can use: the built-in ones (specify, plan, implement, qa), then the project's own
 * 04-agents/templates/<name>/ folders (which replace a built-in one of the same name).
 *
 * @example
 * await listTemplates({ cwd: '/repo' });
 * // → { templates: [{ name: 'specify', source: 'built-in', description: 'write or refine a specification', files: ['notes/spec-outline.md', …] }, …] }
 */
export async function listTemplates(opts: ListTemplatesOptions = {}): Promise<ListTemplatesResult> {
  return transaction(opts, 'read', ({ project }) => ({ templates: listTemplatesIn(project) }));
}
