import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

// What a checkpoint contains: the project plus this session's own workspace, nothing else specmap manages.

const A = '2025-10-25-session-001-auth';
const B = '2025-10-25-session-002-billing';
const WS_A = `04-agents/sessions/active/${A}`;
const WS_B = `04-agents/sessions/active/${B}`;

const filesAt = (repo: TestRepo, rev: string, ...paths: string[]) =>
  repo.git('ls-tree', '-r', '--name-only', rev, '--', ...paths).split('\n').filter(Boolean);
/** `git ls-tree -r` lines (mode, id, path) under `paths`: equal output means equal content. */
const entriesAt = (repo: TestRepo, rev: string, ...paths: string[]) => repo.git('ls-tree', '-r', rev, '--', ...paths);

async function twoSessions(repo = makeRepo()) {
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'auth'], { ...o, now: '2025-10-25T14:30:00' });
  await ok(['start', 'billing'], { ...o, now: '2025-10-25T14:31:00' });
  return { repo, o };
}

async function checkpoint(o: { cwd: string; env: NodeJS.ProcessEnv }, session: string, ...files: string[]) {
  const r = await ok(['checkpoint', session, 'state', ...files, '--json'], { ...o, now: '2025-10-25T15:00:00' });
  return JSON.parse(r.stdout) as { commit: string; parent: string; files: { path: string }[]; skipped_secrets: string[] };
}

describe('what a checkpoint contains', () => {
  it('the project and its own workspace; never other sessions, the archive, summaries, TRACKING.md, -restored folders or the report', async () => {
    const { repo, o } = await twoSessions();
    const own = ['notes/n.md', 'decisions/001-d.md', 'artifacts/a.bin', 'transcripts/transcript.jsonl'];
    for (const f of own) repo.write(`${WS_A}/${f}`, `${f}\n`);
    repo.write('src/feature.js', 'export const f = 1;\n');
    repo.write(`${WS_B}/notes/theirs.md`, 'not yours\n');
    repo.write('04-agents/sessions/archive/2025-10-24-session-001-old/summary.md', 'old\n');
    repo.write('04-agents/session-summaries/2025-10-24.md', '# day\n');
    repo.write('TRACKING.md', '# Tracking\n');
    repo.write(`04-agents/sessions/active/${A}-restored/notes/n.md`, 'restored\n');
    repo.write(`04-agents/sessions/active/${A}-checkpoint-001-15-00-00-restored/src/main.js`, 'restored\n');
    repo.write('04-agents/backups/restored/daily-2025-10-24/TRACKING.md', 'restored\n');
    await ok(['report'], o);
    expect(existsSync(join(repo.dir, '04-agents/reports/report.html'))).toBe(true);
    repo.write('specmap-report.html', '<!doctype html>\n'); // where older versions wrote it

    const cp = await checkpoint(o, A);
    const managed = filesAt(repo, cp.commit).filter((f) => f.startsWith('04-agents/') || f === 'TRACKING.md' || f === 'specmap-report.html');
    expect(managed.filter((f) => f.startsWith('04-agents/reports/'))).toEqual([]);
    expect(managed.sort()).toEqual([...own.map((f) => `${WS_A}/${f}`), `${WS_A}/README.md`, `${WS_A}/summary.md`].sort());
    expect(filesAt(repo, cp.commit)).toContain('src/feature.js');

    // The other session's checkpoint holds its own workspace, and not this one's.
    const cpB = await checkpoint(o, B);
    const inB = filesAt(repo, cpB.commit, '04-agents');
    expect(inB).toContain(`${WS_B}/notes/theirs.md`);
    expect(inB.filter((f) => !f.startsWith(`${WS_B}/`))).toEqual([]);

    // A diff against the working tree sees what the next checkpoint would: this workspace, not the other one.
    repo.write(`${WS_A}/notes/n.md`, 'edited\n');
    repo.write(`${WS_B}/notes/theirs.md`, 'edited too\n');
    const diff = (await ok(['diff', `${A}:~0`, '--stat'], o)).stdout;
    expect(diff).toContain('notes/n.md');
    expect(diff).not.toContain('theirs.md');
  });

  it('lets the session name its own workspace files, and nothing else specmap manages', async () => {
    const { repo, o } = await twoSessions();
    repo.write(`${WS_A}/notes/n.md`, 'mine\n');
    repo.write(`${WS_B}/notes/theirs.md`, 'theirs\n');
    repo.write('TRACKING.md', '# Tracking\n');
    const cp = await checkpoint(o, A, `${WS_A}/notes/n.md`);
    expect(filesAt(repo, cp.commit, WS_A)).toContain(`${WS_A}/notes/n.md`);

    for (const named of [`${WS_B}/notes/theirs.md`, 'TRACKING.md', `${WS_A}/session.yaml`, '04-agents/backups']) {
      const r = await runCli(['checkpoint', A, 'x', named], o);
      expect(r.code, named).toBe(5);
      expect(oneLineError(r)).toContain(`${named} is managed by specmap`);
    }
    // B may name its own.
    await checkpoint(o, B, `${WS_B}/notes/theirs.md`);
  });

  it('never changes managed paths the base commit already has (committed TRACKING.md, archive, other sessions)', async () => {
    const repo = makeRepo();
    const committed = [
      'TRACKING.md',
      '04-agents/session-summaries/2025-10-24.md',
      '04-agents/sessions/archive/2025-10-24-session-001-old/summary.md',
      '04-agents/sessions/active/2025-10-24-session-002-left/notes.md',
    ];
    for (const f of committed) repo.write(f, `committed ${f}\n`);
    const base = repo.commitAll('the original SpecMap committed its bookkeeping');
    const { o } = await twoSessions(repo);
    repo.write('TRACKING.md', 'rewritten\n');
    repo.write('04-agents/session-summaries/2025-10-24.md', 'rewritten\n');
    rmSync(join(repo.dir, '04-agents/sessions/archive/2025-10-24-session-001-old'), { recursive: true });
    // The other session ended since: its folder moved from active/ to archive/.
    renameSync(join(repo.dir, '04-agents/sessions/active/2025-10-24-session-002-left'), join(repo.dir, '04-agents/sessions/archive/2025-10-24-session-002-left'));
    repo.write('src/main.js', 'changed\n');
    repo.write(`${WS_A}/notes/n.md`, 'mine\n');

    for (const files of [[], ['src/main.js'], ['04-agents']]) {
      const cp = await checkpoint(o, A, ...files);
      expect(entriesAt(repo, cp.commit, ...committed), files.join(' ')).toBe(entriesAt(repo, base, ...committed));
      expect(cp.files.map((f) => f.path).filter((p) => committed.includes(p))).toEqual([]);
      repo.write('src/main.js', `changed again ${files.length}\n`);
      repo.write(`${WS_A}/notes/n.md`, `mine again ${files.length}\n`);
    }
  });
});

describe('backups committed to git or ignored, as the original SpecMap left them', () => {
  const modes = ['ignored', 'tracked', 'tracked and ignored'] as const;
  for (const mode of modes) {
    for (const named of [false, true]) {
      it(`${mode}, ${named ? 'a file named' : 'no files named'}: excluded silently, as the base has them`, async () => {
        const repo = makeRepo();
        if (mode !== 'ignored') {
          repo.write('04-agents/backups/sessions/old-backup.zip', 'committed zip\n');
          repo.write('04-agents/backups/daily/2025-10-24/manifest.json', '{}\n');
        }
        const base = mode === 'ignored' ? repo.git('rev-parse', 'HEAD') : repo.commitAll('base');
        const { o } = await twoSessions(repo);
        const ignore = readFileSync(join(repo.dir, '.gitignore'), 'utf8');
        expect(ignore).toContain('/04-agents/backups/');
        if (mode === 'tracked') writeFileSync(join(repo.dir, '.gitignore'), ignore.replace('/04-agents/backups/', ''));
        if (mode !== 'ignored') repo.write('04-agents/backups/sessions/old-backup.zip', 'rewritten zip\n');
        repo.write('04-agents/backups/sessions/new-backup.zip', 'new zip\n');
        repo.write('src/main.js', 'changed\n');

        const cp = await checkpoint(o, A, ...(named ? ['src/main.js'] : []));
        expect(entriesAt(repo, cp.commit, '04-agents/backups')).toBe(entriesAt(repo, base, '04-agents/backups'));
        expect(repo.git('show', `${cp.commit}:src/main.js`)).toBe('changed');
      });
    }
  }
});

describe('a managed folder that is a symlink leading outside the project', () => {
  async function linked(folder: string) {
    const repo = makeRepo();
    const outside = scratch('specmap-outside-');
    repo.write('01-specifications/spec.md', '# spec\n');
    repo.commitAll('specs');
    mkdirSync(join(repo.dir, dirname(folder)), { recursive: true });
    symlinkSync(outside, join(repo.dir, folder));
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'auth'], { ...o, now: '2025-10-25T14:30:00' });
    return { repo, o, outside };
  }

  it('04-agents/backups: checkpoints leave it out; end and backup daily refuse in one line and write nothing there', async () => {
    const { repo, o, outside } = await linked('04-agents/backups');
    repo.write('src/main.js', 'changed\n');
    const cp = await checkpoint(o, A);
    expect(filesAt(repo, cp.commit, '04-agents/backups')).toEqual([]);

    const end = await runCli(['end', A], o);
    expect(end.code).toBe(5);
    expect(oneLineError(end)).toMatch(/through a symlink: 04-agents\/backups\/sessions\//);
    expect(existsSync(join(repo.dir, WS_A, 'session.yaml'))).toBe(true);

    const daily = await runCli(['backup', 'daily'], o);
    expect(daily.code).toBe(5);
    expect(oneLineError(daily)).toMatch(/through a symlink: 04-agents\/backups\/daily\//);
    expect(repo.git('for-each-ref', 'refs/backups/')).toBe('');

    await ok(['end', A, '--no-backup'], o);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('04-agents/sessions/archive: end refuses before changing anything; checkpoints leave the link out', async () => {
    const { repo, o, outside } = await linked('04-agents/sessions/archive');
    repo.write('src/main.js', 'changed\n');
    const cp = await checkpoint(o, A);
    expect(filesAt(repo, cp.commit, '04-agents/sessions/archive')).toEqual([]);

    const end = await runCli(['end', A, '--no-backup'], o);
    expect(end.code).toBe(5);
    expect(oneLineError(end)).toMatch(/through a symlink: 04-agents\/sessions\/archive\//);
    expect(readFileSync(join(repo.dir, WS_A, 'session.yaml'), 'utf8')).toContain('status: "active"');
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe('secret files', () => {
  const SECRETS = ['.env', 'config/.env.local', 'certs/server.pem', 'deploy/id_ed25519', 'gcp/credentials.json'];

  it('are never read into a checkpoint unless named exactly, and the checkpoint says which it left out', async () => {
    const { repo, o } = await twoSessions();
    for (const f of SECRETS) repo.write(f, `TOKEN=live-${f}\n`);
    repo.write('src/app.ts', 'export {};\n');
    const r = await ok(['checkpoint', A, 'work', '--json'], { ...o, now: '2025-10-25T15:00:00' });
    const cp = JSON.parse(r.stdout) as { commit: string; skipped_secrets: string[] };
    expect(cp.skipped_secrets).toEqual([...SECRETS].sort());
    const tree = filesAt(repo, cp.commit);
    expect(tree).toContain('src/app.ts');
    for (const f of SECRETS) {
      expect(tree).not.toContain(f);
      // Not even hashed into the object store: nothing to leak through a push, a ZIP or a gc.
      const oid = repo.git('hash-object', f).trim();
      expect(() => repo.git('cat-file', '-e', oid)).toThrow();
    }
    const again = await runCli(['checkpoint', A, 'more'], { ...o, now: '2025-10-25T15:01:00' });
    expect(again.code).not.toBe(0);
    expect(oneLineError(again)).toMatch(/left out secret files: \.env, certs\/server\.pem/);

    // A folder named is not a secret named; the file itself is.
    repo.write('certs/README.md', 'how to make a cert\n');
    const folder = await checkpoint(o, A, 'certs');
    expect(filesAt(repo, folder.commit, 'certs')).toEqual(['certs/README.md']);
    const named = await checkpoint(o, A, 'certs/server.pem');
    expect(filesAt(repo, named.commit, 'certs')).toEqual(['certs/README.md', 'certs/server.pem']);
  });

  it('a changed secret that git already tracks stays as the previous checkpoint has it; secrets.files adds rules, secrets.defaults: false drops the built-in ones', async () => {
    const repo = makeRepo();
    repo.write('.env', 'OLD=1\n');
    repo.git('add', '.env');
    repo.git('commit', '-qm', 'env');
    const { o } = await twoSessions(repo);
    repo.write('.env', 'NEW=live\n');
    repo.write('notes.secret', 'mine\n');
    repo.write('04-agents/config.yaml', 'secrets:\n  files: ["*.secret"]\n');
    repo.write('src/a.ts', '1\n');
    const first = await checkpoint(o, A);
    expect(repo.git('show', `${first.commit}:.env`).trim()).toBe('OLD=1');
    expect(filesAt(repo, first.commit)).not.toContain('notes.secret');
    // Next time, compared with the index that checkpoint left: the tracked secret, still changed, is reported left out.
    repo.write('src/b.ts', '2\n');
    const again = await checkpoint(o, A);
    expect(again.skipped_secrets).toEqual(['.env', 'notes.secret']);
    expect(repo.git('show', `${again.commit}:.env`).trim()).toBe('OLD=1');
    // Deleted, it stays too; a new one deep in a new folder, and one inside a folder named, are left out and listed;
    // a rule git matches differently from a simple glob (a class) is left to git, and holds all the same.
    rmSync(join(repo.dir, '.env'));
    repo.write('deep/new/dir/.env.local', 'X=1\n');
    repo.write('key7.txt', 'k\n');
    repo.write('04-agents/config.yaml', 'secrets:\n  files: ["*.secret", "key[0-9].txt"]\n');
    repo.write('src/c.ts', '3\n');
    const gone = await checkpoint(o, A);
    expect(gone.skipped_secrets).toEqual(['.env', 'deep/new/dir/.env.local', 'key7.txt', 'notes.secret']);
    expect(repo.git('show', `${gone.commit}:.env`).trim()).toBe('OLD=1');
    expect(filesAt(repo, gone.commit)).toContain('src/c.ts');
    expect(filesAt(repo, gone.commit)).not.toContain('key7.txt');
    expect(filesAt(repo, gone.commit).filter((f) => f.startsWith('deep/'))).toEqual([]);
    repo.write('named/id_rsa', 'KEY\n');
    repo.write('named/ok.ts', 'ok\n');
    const folder = await checkpoint(o, A, 'named');
    expect(folder.skipped_secrets).toEqual(['named/id_rsa']);
    expect(filesAt(repo, folder.commit)).toContain('named/ok.ts');
    expect(filesAt(repo, folder.commit)).not.toContain('named/id_rsa');
    // No secret was ever hashed into the object store.
    for (const text of ['X=1', 'KEY', 'k']) {
      const oid = execFileSync('git', ['hash-object', '--stdin'], { input: `${text}\n`, encoding: 'utf8' }).trim();
      expect(spawnSync('git', ['cat-file', '-e', oid], { cwd: repo.dir, env: repo.env }).status).not.toBe(0);
    }

    repo.write('.env', 'NEW=live\n');
    repo.write('04-agents/config.yaml', 'secrets:\n  defaults: false\n');
    const second = await checkpoint(o, A);
    expect(repo.git('show', `${second.commit}:.env`).trim()).toBe('NEW=live');
    expect(filesAt(repo, second.commit)).toContain('notes.secret');
  });

  it('a new file holding a key is left out like one, unless named; a key added to a file the session has is kept (no work lost)', async () => {
    const { repo, o } = await twoSessions();
    repo.write('scripts/deploy.sh', 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n');
    repo.write('src/plain.ts', 'export const x = 1;\n');
    const r = JSON.parse((await ok(['checkpoint', A, 'work', '--json'], { ...o, now: '2025-10-25T15:00:00' })).stdout) as { commit: string; skipped_secrets: string[]; files: { path: string }[] };
    expect(r.skipped_secrets).toEqual(['scripts/deploy.sh']);
    expect(filesAt(repo, r.commit)).toContain('src/plain.ts');
    expect(filesAt(repo, r.commit)).not.toContain('scripts/deploy.sh');
    expect(r.files.map((f) => f.path)).not.toContain('scripts/deploy.sh');
    const named = await checkpoint(o, A, 'scripts/deploy.sh');
    expect(filesAt(repo, named.commit)).toContain('scripts/deploy.sh');
    repo.write('src/plain.ts', 'export const key = "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R";\n');
    const edited = await checkpoint(o, A);
    expect(repo.git('show', `${edited.commit}:src/plain.ts`)).toContain('ghp_');
  });
});

describe('secret files: what the rules match, as git matches them', () => {
  /** What `git add -A` into a throwaway index takes with the rules as git pathspecs (the old, slow way). */
  const gitWouldTake = (repo: TestRepo, rules: string[]) => {
    const index = join(repo.home, 'plain-index');
    rmSync(index, { force: true });
    execFileSync('git', ['add', '-A', '--', '.', ':(exclude)04-agents', ...rules.map((r) => `:(exclude,glob)${r}`)], { cwd: repo.dir, env: { ...repo.env, GIT_INDEX_FILE: index } });
    return execFileSync('git', ['ls-files'], { cwd: repo.dir, env: { ...repo.env, GIT_INDEX_FILE: index }, encoding: 'utf8' }).split('\n').filter((f) => f && !f.startsWith('04-agents/'));
  };

  it('config rules with a path, ./, a trailing slash or a class are matched as git matches them', async () => {
    const { repo, o } = await twoSessions();
    const rules = ['secrets/*', './*.tok', '**/vault/', 'keys/k[0-9].txt', 'a//b/*.tok'];
    repo.write('04-agents/config.yaml', `secrets:\n  files: [${rules.map((r) => JSON.stringify(r)).join(', ')}]\n`);
    for (const f of ['secrets/prod/db.txt', 'secrets/top.txt', 'api.tok', 'sub/api.tok', 'x/vault/v.txt', 'vault/w.txt', 'keys/k1.txt', 'keys/kx.txt', 'a/b/c.tok', 'src/ok.ts']) repo.write(f, `${f}\n`);
    const cp = await checkpoint(o, A);
    const taken = filesAt(repo, cp.commit).filter((f) => !f.startsWith('04-agents/'));
    expect(taken.sort()).toEqual(gitWouldTake(repo, ['secrets/*', './*.tok', '**/vault/', 'keys/k[0-9].txt', 'a//b/*.tok', '**/.env', '**/.env.*', '**/*.pem', '**/*.key']).sort());
    expect(taken).toContain('src/ok.ts');
    expect(taken).not.toContain('secrets/prod/db.txt');
    expect(taken).not.toContain('api.tok');
  });

  it('hundreds of tracked files the rules match: left as they were, listed, and taken once the rule is gone', async () => {
    const repo = makeRepo();
    for (let i = 0; i < 150; i++) repo.write(`certs/c${i}.pem`, `old ${i}\n`);
    repo.commitAll('certs');
    const { o } = await twoSessions(repo);
    for (let i = 0; i < 150; i++) repo.write(`certs/c${i}.pem`, `NEW SECRET ${i}\n`);
    rmSync(join(repo.dir, 'certs/c0.pem'));
    repo.write('src/a.ts', '1\n');
    const first = await checkpoint(o, A);
    expect(entriesAt(repo, first.commit, 'certs')).toBe(repo.git('ls-tree', '-r', 'HEAD', '--', 'certs'));
    expect(first.skipped_secrets).toHaveLength(150);
    repo.write('src/b.ts', '2\n');
    const again = await checkpoint(o, A);
    expect(again.skipped_secrets).toHaveLength(150);
    expect(entriesAt(repo, again.commit, 'certs')).toBe(repo.git('ls-tree', '-r', 'HEAD', '--', 'certs'));
    // Told in a line, not 150 names.
    repo.write('src/c.ts', '3\n');
    const text = (await ok(['checkpoint', A, 'text'], { ...o, now: '2025-10-25T15:00:00' })).stdout;
    expect(text).toMatch(/🔒 Left out 150 secret files: certs\/\S+, .*, … and 140 more \(--verbose lists them all\) \(name one to take it\)\n?$/);
    const oid = execFileSync('git', ['hash-object', '--stdin'], { input: 'NEW SECRET 7\n', encoding: 'utf8' }).trim();
    expect(spawnSync('git', ['cat-file', '-e', oid], { cwd: repo.dir, env: repo.env }).status).not.toBe(0);
    // The index the session keeps carries no mark: with the rule gone, every change is taken.
    repo.write('04-agents/config.yaml', 'secrets:\n  defaults: false\n');
    const taken = await checkpoint(o, A);
    expect(repo.git('show', `${taken.commit}:certs/c7.pem`)).toBe('NEW SECRET 7');
    expect(filesAt(repo, taken.commit, 'certs')).toHaveLength(149);
  });

  it('an embedded repository named like a rule is left out; a named folder .gitignore ignores is refused', async () => {
    const { repo, o } = await twoSessions();
    mkdirSync(join(repo.dir, 'vault.key'));
    execFileSync('git', ['init', '-q'], { cwd: join(repo.dir, 'vault.key'), env: repo.env });
    writeFileSync(join(repo.dir, 'vault.key', 'k'), 'k\n');
    execFileSync('git', ['add', 'k'], { cwd: join(repo.dir, 'vault.key'), env: repo.env });
    execFileSync('git', ['commit', '-qm', 'k'], { cwd: join(repo.dir, 'vault.key'), env: repo.env });
    repo.write('src/a.ts', '1\n');
    const cp = await checkpoint(o, A);
    expect(cp.skipped_secrets).toEqual(['vault.key/']);
    expect(filesAt(repo, cp.commit)).not.toContain('vault.key');
    repo.write('.gitignore', `${readFileSync(join(repo.dir, '.gitignore'), 'utf8')}build/\n`);
    repo.write('build/out.js', 'x\n');
    const r = await runCli(['checkpoint', A, 'state', 'build'], o);
    expect(r.code).toBe(5);
    expect(oneLineError(r)).toBe('specmap: ignored by .gitignore, so not snapshotted: build');
  });

  it('a new file gone between the walk and its add is skipped; the checkpoint takes the rest', async () => {
    const { repo, o } = await twoSessions();
    // A git that deletes one file just before the add by name: the moment an editor's swap file can vanish.
    const bin = join(repo.home, 'bin');
    mkdirSync(bin, { recursive: true });
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'git'), `#!/bin/sh\n[ "$1" = update-index ] && [ "$2" = --add ] && rm -f "${join(repo.dir, 'src/.swap')}"\nexec ${real} "$@"\n`, { mode: 0o755 });
    repo.write('src/.swap', 'temp\n');
    repo.write('src/kept.ts', 'kept\n');
    const r = await ok(['checkpoint', A, 'state', '--json'], { cwd: repo.dir, env: { ...repo.env, PATH: `${bin}:${repo.env.PATH ?? process.env.PATH}` } });
    const cp = JSON.parse(r.stdout) as { commit: string };
    expect(filesAt(repo, cp.commit, 'src')).toContain('src/kept.ts');
    expect(filesAt(repo, cp.commit, 'src')).not.toContain('src/.swap');
  });

  it('in a sparse checkout, a file outside the sparse definition is never taken silently', async () => {
    const { repo, o } = await twoSessions();
    repo.write('in/a.ts', 'a\n');
    repo.write('out/b.ts', 'b\n');
    repo.commitAll('two folders');
    repo.git('sparse-checkout', 'set', '--no-cone', '/in/', '/04-agents/', '/.gitignore');
    repo.write('out/new.ts', 'new\n');
    repo.write('in/a.ts', 'a2\n');
    const before = repo.git('rev-parse', `refs/sessions/${A}`);
    const r = await runCli(['checkpoint', A, 'state'], o);
    expect(r.code).toBe(7);
    expect(oneLineError(r)).toBe("specmap: outside the sparse-checkout definition, which git will not snapshot: out/new.ts (move them inside, or widen it: git sparse-checkout add <folder>); nothing was recorded");
    expect(repo.git('rev-parse', `refs/sessions/${A}`)).toBe(before);
  });
});
