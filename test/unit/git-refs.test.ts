import { describe, expect, it } from 'vitest';
import { findRepo } from '../../src/storage/git/repo.js';
import { updateRef } from '../../src/storage/git/refs.js';
import { SpecmapError } from '../../src/shared/errors.js';
import { makeRepo } from '../support/repo.js';

describe('refs move with compare-and-swap', () => {
  it('refuses to move a ref that is no longer where the caller saw it, or to create one that exists', async () => {
    const repo = makeRepo();
    const first = repo.git('rev-parse', 'HEAD');
    repo.write('x.txt', 'x\n');
    const second = repo.commitAll('second');
    const paths = await findRepo(repo.dir);
    const prev = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = repo.env.GIT_CONFIG_GLOBAL;
    try {
      await updateRef(paths, 'refs/sessions/s', first, undefined, 'create');
      const create = await updateRef(paths, 'refs/sessions/s', second, undefined, 'create again').catch((e) => e);
      expect(create).toBeInstanceOf(SpecmapError);
      expect((create as SpecmapError).code).toBe('CONFLICT');
      const stale = await updateRef(paths, 'refs/sessions/s', first, second, 'stale').catch((e) => e);
      expect((stale as SpecmapError).code).toBe('CONFLICT');
      expect(repo.git('rev-parse', 'refs/sessions/s')).toBe(first);
      await updateRef(paths, 'refs/sessions/s', second, first, 'move');
      expect(repo.git('rev-parse', 'refs/sessions/s')).toBe(second);
    } finally {
      process.env.GIT_CONFIG_GLOBAL = prev;
    }
  });
});
