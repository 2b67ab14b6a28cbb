import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIgnoredReport, parseUnmatchedPathspec } from '../../src/storage/git/parse/add-stderr.js';
import { parseBatchCheck } from '../../src/storage/git/parse/cat-file.js';
import { parseCountObjects, parseDiskUsage } from '../../src/storage/git/parse/count-objects.js';
import { parseRefDetails, parseRefList } from '../../src/storage/git/parse/for-each-ref.js';
import { parseIdent } from '../../src/storage/git/parse/ident.js';
import { parseLog, trailer } from '../../src/storage/git/parse/log.js';
import { parseLsFilesStage } from '../../src/storage/git/parse/ls-files.js';
import { parseLsTree } from '../../src/storage/git/parse/ls-tree.js';
import { parseMergeTree } from '../../src/storage/git/parse/merge-tree.js';
import { parseNameStatus } from '../../src/storage/git/parse/name-status.js';
import { parseNameList, splitNul } from '../../src/storage/git/parse/nul.js';
import { parsePushPorcelain } from '../../src/storage/git/parse/push-porcelain.js';
import { parseRevParsePaths } from '../../src/storage/git/parse/rev-parse.js';
import { parseWorktreeList } from '../../src/storage/git/parse/worktree-list.js';
import { parseNumstat } from '../../src/storage/git/parse/numstat.js';
import { pathBytes } from '../../src/shared/path-text.js';

// Real git output, captured by test/fixtures/git/capture.sh (git 2.39) from a repository with awkward names.
const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'git', name));
const text = (name: string): string => fixture(name).toString('utf8');

const FIRST = 'd7e269dd8cf4843756727daa01e65cc5a655ba9f';
const SECOND = '1c260917eb02fef92c607bd57c3da3978e177939';

describe('ls-tree -z', () => {
  const entries = parseLsTree(fixture('ls-tree-r-z.out'));

  it('reads every entry with its mode, type and object id', () => {
    expect(entries.map((e) => e.path)).toEqual([
      '"added\\377.bin"', 'café.txt', 'dir one/sub/deep.txt', 'link', '"new\\nline.txt"', 'new-name.txt', 'plain.txt',
      'run.sh', 'submodule', '"tab\\there.txt"', 'with space.txt',
    ]);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(byPath.get('link')).toMatchObject({ mode: '120000', type: 'blob', oid: 'dab8c79946b1756dcd7db770a986ad40d00c07f4' });
    expect(byPath.get('run.sh')).toMatchObject({ mode: '100755', type: 'blob' });
    expect(byPath.get('submodule')).toMatchObject({ mode: '160000', type: 'commit', oid: '1'.repeat(40) });
    expect(byPath.get('with space.txt')).toMatchObject({ mode: '100644', oid: 'bd4269ff9d6818e647e89bacacf357bc8b8eb33c' });
  });

  it('keeps the raw bytes of names that are not UTF-8, and their text form maps back to them', () => {
    const odd = entries.find((e) => e.path.startsWith('"added'))!;
    expect(odd.raw).toEqual(Buffer.from('added\xff.bin', 'latin1'));
    for (const e of entries) expect(pathBytes(e.path)).toEqual(e.raw);
  });

  it('reads nothing from empty output', () => {
    expect(parseLsTree(Buffer.alloc(0))).toEqual([]);
  });
});

describe('ls-tree --name-only -z and other name lists', () => {
  it('splits NUL-terminated names, keeping spaces', () => {
    expect(parseNameList(fixture('ls-tree-name-only-z.out'))).toEqual(['dir one/sub']);
    expect(parseNameList(fixture('diff-cached-names-z.out'))).toEqual(['staged file.txt']);
    expect(parseNameList(fixture('check-ignore-z.out'))).toEqual(['ignored/', 'x.log']);
  });

  it('splitNul drops empty records and keeps a last unterminated one', () => {
    expect(splitNul(Buffer.from('a\0\0b\0c')).map(String)).toEqual(['a', 'b', 'c']);
  });
});

describe('ls-files -s -z', () => {
  const entries = parseLsFilesStage(fixture('ls-files-stage-z.out'));

  it('reads the three stages of a conflicted path', () => {
    expect(entries.filter((e) => e.path === 'plain.txt').map((e) => e.stage)).toEqual([1, 2, 3]);
  });

  it('reads merged entries as stage 0, gitlinks and symlinks included', () => {
    const byPath = new Map(entries.filter((e) => e.stage === 0).map((e) => [e.path, e]));
    expect(byPath.get('submodule')).toMatchObject({ mode: '160000', oid: '1'.repeat(40) });
    expect(byPath.get('link')).toMatchObject({ mode: '120000' });
    expect(byPath.get('"new\\nline.txt"')!.raw).toEqual(Buffer.from('new\nline.txt'));
    expect(byPath.get('"tab\\there.txt"')).toMatchObject({ oid: '8cc35a3d55c810ba1f998f398e475feb0e5f6b8a' });
  });
});

describe('diff-tree --name-status -z', () => {
  it('reads statuses without rename detection', () => {
    expect(parseNameStatus(fixture('diff-tree-name-status-z.out'))).toEqual([
      { status: 'A', path: '"added\\377.bin"' },
      { status: 'D', path: '"caf\\351.txt"' },
      { status: 'A', path: 'new-name.txt' },
      { status: 'D', path: 'old-name.txt' },
      { status: 'M', path: 'plain.txt' },
    ]);
  });

  it('reads a rename as one entry with its score and both names', () => {
    expect(parseNameStatus(fixture('diff-tree-renames-z.out'))).toEqual([
      { status: 'A', path: '"added\\377.bin"' },
      { status: 'D', path: '"caf\\351.txt"' },
      { status: 'R', score: 100, from: 'old-name.txt', path: 'new-name.txt' },
      { status: 'M', path: 'plain.txt' },
    ]);
  });

  it('reads a root commit: every file added, names with newlines and tabs kept whole', () => {
    const all = parseNameStatus(fixture('diff-tree-root-z.out'));
    expect(all.every((e) => e.status === 'A')).toBe(true);
    expect(all.map((e) => e.path)).toEqual([
      'café.txt', '"caf\\351.txt"', 'dir one/sub/deep.txt', 'link', '"new\\nline.txt"', 'old-name.txt', 'plain.txt',
      'run.sh', 'submodule', '"tab\\there.txt"', 'with space.txt',
    ]);
  });
});

describe('for-each-ref', () => {
  it('reads object id and ref name per line', () => {
    expect(parseRefList(text('for-each-ref.out'))).toEqual([
      { oid: SECOND, ref: 'refs/sessions/2025-10-25-session-001-auth' },
      { oid: FIRST, ref: 'refs/sessions/2025-10-25-session-002-x' },
    ]);
    expect(parseRefList('')).toEqual([]);
  });
});

describe('for-each-ref with types, tag targets and dates', () => {
  it('reads a commit, a tree (no date) and an annotated tag (its target and tagger date)', () => {
    expect(parseRefDetails(text('for-each-ref-details.out'))).toEqual([
      { oid: SECOND, type: 'commit', date: 1761386400, ref: 'refs/sessions/2025-10-25-session-001-auth' },
      { oid: FIRST, type: 'commit', date: 1761386400, ref: 'refs/sessions/2025-10-25-session-002-x' },
      { oid: '405ec1a0534be8f396cd8105f9b4e0111d3216d1', type: 'tree', ref: 'refs/specmap/safety/2025-10-25-session-001-auth/checkpoint-001' },
      { oid: '6d6bc8cecb3fa28e548196e8dca671d1f1e0d1bf', type: 'tag', peeled: SECOND, date: 1761386400, ref: 'refs/tags/checkpoints/2025-10-25-session-001-auth/checkpoint-001' },
    ]);
    expect(parseRefDetails('')).toEqual([]);
  });
});

describe('count-objects -v and rev-list --disk-usage', () => {
  it('reads every count and size', () => {
    expect(parseCountObjects(text('count-objects-v.out'))).toEqual({
      count: 28, sizeKib: 112, inPack: 0, packs: 0, sizePackKib: 0, prunePackable: 0, garbage: 0, sizeGarbageKib: 0,
    });
    expect(parseCountObjects('count: 3\n').packs).toBe(0);
  });

  it('reads the byte count after the edge lines --objects-edge-aggressive prints', () => {
    expect(text('rev-list-disk-usage.out').split('\n')[0]).toBe(`-${FIRST}`);
    expect(parseDiskUsage(text('rev-list-disk-usage.out'))).toBe(789);
    expect(parseDiskUsage('0\n')).toBe(0);
    expect(parseDiskUsage('')).toBe(0);
  });
});

describe('cat-file --batch-check', () => {
  it('reads types, and `missing` for an object not in the store', () => {
    expect(parseBatchCheck(text('cat-file-batch-check.out'))).toEqual([
      { oid: FIRST, type: 'commit' },
      { oid: '2'.repeat(40), type: 'missing' },
      { oid: '405ec1a0534be8f396cd8105f9b4e0111d3216d1', type: 'tree' },
    ]);
  });
});

describe('rev-parse paths', () => {
  it('reads top level, git dir and common dir of a linked worktree whose path has a space', () => {
    expect(parseRevParsePaths(text('rev-parse-paths.out'))).toEqual({
      root: '/tmp/specmap-fixture/linked tree',
      gitDir: '/tmp/specmap-fixture/repo/.git/worktrees/linked-tree',
      commonDir: '/tmp/specmap-fixture/repo/.git',
    });
  });

  it('is undefined when a line is missing', () => {
    expect(parseRevParsePaths('/a\n/a/.git\n')).toBeUndefined();
  });
});

describe('worktree list --porcelain -z', () => {
  it('reads the main worktree first, branches, and a detached HEAD as no branch', () => {
    expect(parseWorktreeList(text('worktree-list-z.out'))).toEqual([
      { path: '/tmp/specmap-fixture/repo', head: SECOND, branch: 'refs/heads/main', bare: false },
      { path: '/tmp/specmap-fixture/detached', head: SECOND, bare: false },
      { path: '/tmp/specmap-fixture/linked tree', head: SECOND, branch: 'refs/heads/feature', bare: false },
    ]);
  });

  it('marks a bare main repository', () => {
    expect(parseWorktreeList('worktree /srv/x.git\0bare\0\0')).toEqual([{ path: '/srv/x.git', bare: true }]);
  });

  it('keeps a lock and its reason', () => {
    const list = parseWorktreeList(text('worktree-list-locked-z.out'));
    expect(list.map((w) => w.locked)).toEqual([undefined, undefined, undefined, 'on a USB disk']);
    expect(list[3]).toMatchObject({ path: '/tmp/specmap-fixture/locked', head: SECOND, bare: false });
    expect(parseWorktreeList('worktree /a\0HEAD 1\0detached\0locked\0\0')[0]!.locked).toBe('');
  });
});

describe('diff-tree --numstat -z', () => {
  it('reads lines added and removed per file, a binary file as null, names in text form', () => {
    expect(parseNumstat(fixture('diff-tree-numstat-z.out'))).toEqual([
      { path: '"added\\377.bin"', added: 1, removed: 0 },
      { path: 'binary.dat', added: null, removed: null },
      { path: '"caf\\351.txt"', added: 0, removed: 1 },
      { path: 'new-name.txt', added: 3, removed: 0 },
      { path: 'old-name.txt', added: 0, removed: 3 },
      { path: 'plain.txt', added: 1, removed: 0 },
    ]);
  });
});

describe('log records and trailers', () => {
  const commits = parseLog(text('log-records.out'));

  it('reads id, committer time and the whole message, oldest first', () => {
    expect(commits.map((c) => c.oid)).toEqual([FIRST, SECOND]);
    expect(commits[0]!.date.toISOString()).toBe('2025-10-25T10:00:00.000Z');
    expect(commits[0]!.message).toBe('First commit');
    expect(commits[1]!.message.split('\n')[0]).toBe('Second commit');
  });

  it('finds trailers by key', () => {
    const msg = commits[1]!.message;
    expect(trailer(msg, 'Session-Id')).toBe('2025-10-25-session-001-auth');
    expect(trailer(msg, 'Checkpoint-Id')).toBe('2025-10-25-session-001-auth-cp-001');
    expect(trailer(msg, 'Missing')).toBeUndefined();
    expect(trailer(commits[0]!.message, 'Session-Id')).toBeUndefined();
  });

  it('takes a trailer key literally', () => {
    expect(trailer('A.B: yes\n', 'A.B')).toBe('yes');
    expect(trailer('AxB: no\n', 'A.B')).toBeUndefined();
  });
});

describe('merge-tree --write-tree --name-only', () => {
  it('reads a clean merge as its tree', () => {
    expect(parseMergeTree(text('merge-tree-clean.out'), 0)).toEqual({ clean: true, tree: '405ec1a0534be8f396cd8105f9b4e0111d3216d1' });
  });

  it('reads a conflict as the conflicted paths', () => {
    expect(parseMergeTree(text('merge-tree-conflict.out'), 1)).toEqual({ clean: false, conflicts: ['plain.txt'] });
  });
});

describe('push --porcelain', () => {
  it('reads each ref with its flag and summary, skipping the To and Done lines', () => {
    expect(parsePushPorcelain(text('push-porcelain.out'))).toEqual([
      { flag: '=', ref: 'refs/heads/up-to-date', summary: '[up to date]' },
      { flag: '*', ref: 'refs/heads/new', summary: '[new branch]' },
      { flag: '!', ref: 'refs/heads/behind', summary: '[rejected] (non-fast-forward)' },
    ]);
  });
});

describe('git var GIT_AUTHOR_IDENT', () => {
  it('keeps name and email, drops time and zone', () => {
    expect(parseIdent(text('var-author-ident.out'))).toBe('Fixture User <fixture@example.com>');
    expect(parseIdent('')).toBeUndefined();
  });
});

describe('git add stderr', () => {
  it('reads the paths of the ignored-files report, without the hints', () => {
    expect(parseIgnoredReport(text('add-ignored.err'))).toEqual(['ignored', 'x.log']);
    expect(parseIgnoredReport(text('add-unmatched.err'))).toBeUndefined();
  });

  it('reads the pathspec that matched nothing', () => {
    expect(parseUnmatchedPathspec(text('add-unmatched.err'))).toBe('nope.txt');
    expect(parseUnmatchedPathspec(text('add-ignored.err'))).toBeUndefined();
  });
});
