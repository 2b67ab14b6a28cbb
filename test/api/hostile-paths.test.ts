import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcessRepo, rejection } from '../support/in-process.js';
import { start } from '../../src/api/start.js';
import { checkpoint } from '../../src/api/checkpoint.js';

describe('long path lists go to git through stdin, never argv', () => {
  it('a checkpoint naming 100,000 files (about 4 MB of names, past ARG_MAX) takes them all', async () => {
    const repo = inProcessRepo('2025-10-25T14:30:00');
    // 98,000 files the project held and someone deleted (committed with plumbing: creating 100,000 files on a slow
    // disk takes longer than the checkpoint), and 2,000 new ones on disk.
    const gone: string[] = [];
    for (let d = 0; d < 98; d++) for (let f = 0; f < 1000; f++) gone.push(`generated/folder-with-a-longish-name-${d}/file-${f}.txt`);
    const emptyBlob = repo.git('hash-object', '-w', '--stdin');
    execFileSync('git', ['update-index', '--index-info'], { cwd: repo.dir, env: repo.env, input: gone.map((p) => `100644 ${emptyBlob}\t${p}\n`).join('') });
    repo.git('commit', '-q', '-m', 'generated files');
    await start({ cwd: repo.dir, focus: 'many files' });
    const made: string[] = [];
    for (let d = 0; d < 2; d++) {
      mkdirSync(join(repo.dir, `new/${d}`), { recursive: true });
      for (let f = 0; f < 1000; f++) {
        made.push(`new/${d}/file-${f}.txt`);
        writeFileSync(join(repo.dir, made.at(-1)!), `${f}\n`);
      }
    }
    const files = [...gone, ...made];
    expect(files.join('\0').length).toBeGreaterThan(4 * 1024 * 1024);

    const r = await checkpoint({ cwd: repo.dir, session: '@', description: 'everything', files });
    expect(r.files).toHaveLength(100_000);
    expect(r.files.filter((f) => f.status === 'deleted')).toHaveLength(98_000);
    expect(r.files.filter((f) => f.status === 'added').map((f) => f.path).sort()).toEqual([...made].sort());
    const tree = execFileSync('git', ['ls-tree', '-r', '--name-only', r.commit], { cwd: repo.dir, env: repo.env, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(tree).not.toContain('generated/');
    expect(tree.split('\n').filter((l) => l.startsWith('new/'))).toHaveLength(2000);
    // The user's index still holds the deleted files: nothing but the session ref moved.
    expect(repo.git('ls-files', '--', 'generated/folder-with-a-longish-name-0/file-0.txt')).toBe('generated/folder-with-a-longish-name-0/file-0.txt');

    // A long list keeps git add's refusals: a name in neither the tree nor the index, and an ignored file.
    repo.write('.gitignore', 'secret.txt\n');
    repo.write('secret.txt', 'x\n');
    const nope = await rejection(() => checkpoint({ cwd: repo.dir, session: '@', description: 'x', files: [...made, 'no/such/file.txt'] }));
    expect(nope).toMatchObject({ code: 'INVALID_INPUT', message: 'no/such/file.txt: no such file now or in the previous checkpoint' });
    const ignored = await rejection(() => checkpoint({ cwd: repo.dir, session: '@', description: 'x', files: [...made, 'secret.txt'] }));
    expect(ignored).toMatchObject({ code: 'INVALID_INPUT', message: 'ignored by .gitignore, so not snapshotted: secret.txt' });
  }, 60_000);
});
