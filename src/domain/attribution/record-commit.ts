import type { Project } from '../project/project.js';
import type { SessionHandle } from '../session/store.js';
import type { AttributeInput } from './attribute.js';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The commit's line attribution (attribute.ts), for the post-commit recording and `specmap merge`: loaded only
 * when a commit is made, and never in its way — a failure is one line in <git dir>/specmap/hooks.log, and the commit is recorded
 * all the same. Lock held.
 */
export async function attributeQuietly(project: Project, commit: string, session: SessionHandle | undefined, extra: Partial<AttributeInput> = {}): Promise<void> {
  try {
    const { attributeCommit } = await import('./attribute.js');
    await attributeCommit(project, { ...extra, commit, ...(session ? { session } : {}) });
  } catch (err) {
    try {
      const dir = join(project.git.gitDir, 'specmap');
      mkdirSync(dir, { recursive: true });
      appendFileSync(join(dir, 'hooks.log'), `specmap: attribution of ${commit.slice(0, 12)} failed: ${(err as Error)?.message ?? String(err)}\n`);
    } catch {
      // Nowhere to say it: the commit is recorded regardless.
    }
  }
}
