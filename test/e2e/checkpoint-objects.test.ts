import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specmapProject, type TestRepo } from '../support/repo.js';
import { ok, doctorFindings } from '../support/cli.js';

/**
 * Issue #18 item 5: a checkpoint whose commit is in git but some of whose objects are not. Restore takes each file
 * git cannot give (its blob missing, or the tree unreadable) from the session ZIP; doctor reports the lost objects.
 */

const project = () => specmapProject();

const findings = doctorFindings;

/** Moves a loose object out of the store (as a lost or pruned pack would leave it). */
function loseObject(repo: TestRepo, oid: string): void {
  renameSync(join(repo.dir, '.git/objects', oid.slice(0, 2), oid.slice(2)), join(repo.dir, `lost-${oid}`));
}

describe('a checkpoint whose commit exists but whose blobs or tree do not', () => {
  async function ended(repo: TestRepo) {
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'work'], o);
    repo.write('src/a.txt', 'content of a\n');
    repo.write('src/b.txt', 'content of b\n');
    repo.write('src/run.sh', '#!/bin/sh\n');
    chmodSync(join(repo.dir, 'src/run.sh'), 0o755);
    const cp = JSON.parse((await ok(['checkpoint', '@', 'files', '--json'], o)).stdout);
    const e = JSON.parse((await ok(['end', '@', '--json'], o)).stdout);
    return { o, cp, session: e.session_id as string };
  }

  it('restores the files git lost from the session ZIP, the rest from git, and doctor reports the lost objects', async () => {
    const repo = project();
    const { o, cp, session } = await ended(repo);
    loseObject(repo, repo.git('rev-parse', `${cp.commit}:src/a.txt`));
    loseObject(repo, repo.git('rev-parse', `${cp.commit}:src/run.sh`));

    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', session, cp.checkpoint_id, '--json'], o)).stdout);
    expect(r.source).toBe('git+zip');
    const dir = join(repo.dir, r.destination);
    expect(readFileSync(join(dir, 'src/a.txt'), 'utf8')).toBe('content of a\n');
    expect(readFileSync(join(dir, 'src/b.txt'), 'utf8')).toBe('content of b\n');
    expect(readFileSync(join(dir, 'src/run.sh'), 'utf8')).toBe('#!/bin/sh\n');

    const f = (await findings(repo)).filter((x) => x.check === 'unreadable-objects');
    expect(f).toEqual([expect.objectContaining({ subject: session, fixable: false })]);
    expect(f[0]!.message).toMatch(/are in git but 2 object\(s\) are missing .*; restore takes the files git cannot give from 04-agents\/backups\/sessions\//);
  });

  it('an in-place restore takes a lost blob from the session ZIP too', async () => {
    const repo = project();
    const { o, cp, session } = await ended(repo);
    loseObject(repo, repo.git('rev-parse', `${cp.commit}:src/a.txt`));
    rmSync(join(repo.dir, 'src/a.txt'));
    writeFileSync(join(repo.dir, 'src/b.txt'), 'changed b\n');
    await ok(['start', 'restore'], o); // the safety checkpoint goes into an active session
    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', session, cp.checkpoint_id, '--in-place', '--json'], o)).stdout);
    expect(r.source).toBe('git+zip');
    expect(readFileSync(join(repo.dir, 'src/a.txt'), 'utf8')).toBe('content of a\n');
    expect(readFileSync(join(repo.dir, 'src/b.txt'), 'utf8')).toBe('content of b\n');
  });

  it('restores from the session ZIP when the commit is there but its tree is corrupt', async () => {
    const repo = project();
    const { o, cp, session } = await ended(repo);
    const tree = repo.git('rev-parse', `${cp.commit}^{tree}`);
    const path = join(repo.dir, '.git/objects', tree.slice(0, 2), tree.slice(2));
    chmodSync(path, 0o644);
    writeFileSync(path, 'garbage');

    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', session, cp.checkpoint_id, '--json'], o)).stdout);
    expect(r.source).toBe('zip');
    expect(readFileSync(join(repo.dir, r.destination, 'src/b.txt'), 'utf8')).toBe('content of b\n');
    const f = (await findings(repo)).filter((x) => x.check === 'unreadable-objects');
    expect(f[0]!.message).toMatch(/git cannot read them \(fatal: loose object .* is corrupt\)/);
  });
});
