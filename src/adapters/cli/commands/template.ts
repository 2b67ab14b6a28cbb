import { listTemplates, type ListTemplatesResult } from '../../../api/list-templates.js';
import { SpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';
import { table } from '../table.js';

export function renderTemplates(r: ListTemplatesResult): string {
  return table(['TEMPLATE', 'SOURCE', 'FILES', 'WHAT FOR'], r.templates.map((t) => [t.name, t.source, t.files.join(', '), t.description]));
}

export async function run(ctx: CommandContext, action: string): Promise<void> {
  if (action !== 'list') throw new SpecmapError('USAGE', `template takes list, not ${JSON.stringify(action)}`);
  ctx.out.result(await listTemplates({ cwd: ctx.cwd }), renderTemplates);
}
