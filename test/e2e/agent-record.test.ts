// bin/specmap-record: record-only agent events (a file tool's write) queued without Node, applied by the next command.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ok } from '../support/cli.js';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';

const RECORD = join(import.meta.dirname, '../../bin/specmap-record');

/** A PATH holding only the tools the recorder may use: no node, so a Node start would fail the test. */
function pathWithoutNode(): string {
  const dir = scratch('specmap-record-path-');
  for (const tool of ['sh', 'git', 'cat', 'mv', 'rm', 'mkdir', 'date']) {
    for (const from of ['/usr/bin', '/bin']) {
      if (existsSync(join(from, tool))) {
        symlinkSync(join(from, tool), join(dir, tool));
        break;
      }
    }
  }
  return dir;
}

function record(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', [RECORD, ...args], { cwd: opts.cwd, env: opts.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input);
  });
}

const inbox = (repo: TestRepo) => join(repo.dir, '.git/specmap/agent-inbox');
const write = (repo: TestRepo, file: string, type = 'create') =>
  JSON.stringify({ session_id: 'conv-1', hook_event_name: 'PostToolUse', cwd: repo.dir, tool_name: 'Write', tool_input: { file_path: file, content: 'x' }, tool_response: { type } });

async function artifacts(repo: TestRepo) {
  const show = JSON.parse((await ok(['show', '@', '--json'], { cwd: repo.dir, env: repo.env })).stdout);
  return show.artifacts as { created: string[]; modified: string[] };
}

describe('specmap-record', () => {
  it('queues a Write without Node; the next command opens the session and tracks the file', async () => {
    const repo = makeRepo();
    await ok(['init'], { cwd: repo.dir, env: repo.env });
    repo.write('src/new.py', 'print(1)\n');
    const env = { ...repo.env, PATH: pathWithoutNode(), CLAUDE_PROJECT_DIR: repo.dir };
    const r = await record(['claude'], { cwd: repo.dir, env, input: write(repo, join(repo.dir, 'src/new.py')) });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readdirSync(inbox(repo)).filter((f) => f.startsWith('ev.'))).toHaveLength(1);
    // Nothing applied yet: no session exists until a specmap command settles the inbox.
    expect(existsSync(join(repo.dir, '04-agents/sessions/active')) ? readdirSync(join(repo.dir, '04-agents/sessions/active')) : []).toEqual([]);
    const list = JSON.parse((await ok(['list', '--json'], { cwd: repo.dir, env: repo.env })).stdout);
    expect(list.sessions).toHaveLength(1);
    expect((await artifacts(repo)).created).toEqual(['src/new.py']);
    expect(readdirSync(inbox(repo))).toEqual([]);
  });

  it('loses none of many concurrent writes, and resolves a relative path against the agent cwd', async () => {
    const repo = makeRepo();
    await ok(['init'], { cwd: repo.dir, env: repo.env });
    const env = { ...repo.env, CLAUDE_PROJECT_DIR: repo.dir };
    const files = Array.from({ length: 16 }, (_, i) => `gen/f${i}.txt`);
    for (const f of files) repo.write(f, `${f}\n`);
    await Promise.all(files.map((f) => record(['claude'], { cwd: repo.dir, env, input: write(repo, join(repo.dir, f)) })));
    repo.write('sub/rel.txt', 'r\n');
    const rel = JSON.stringify({ session_id: 'conv-1', hook_event_name: 'PostToolUse', cwd: join(repo.dir, 'sub'), tool_name: 'Edit', tool_input: { file_path: 'rel.txt' } });
    await record(['claude'], { cwd: repo.dir, env, input: rel });
    const a = await artifacts(repo);
    expect([...a.created, ...a.modified].sort()).toEqual([...files, 'sub/rel.txt'].sort());
  });

  it('says nothing and exits 0 outside a repository; answers {} for Cursor', async () => {
    const dir = scratch();
    const env = { PATH: process.env.PATH, HOME: dir };
    expect(await record(['claude'], { cwd: dir, env, input: '{"session_id":"x"}' })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await record(['cursor'], { cwd: dir, env, input: '{}' })).toEqual({ code: 0, stdout: '{}\n', stderr: '' });
  });

  it('drops what it cannot read, and the command that settles it still works', async () => {
    const repo = makeRepo();
    await ok(['init'], { cwd: repo.dir, env: repo.env });
    mkdirSync(inbox(repo), { recursive: true });
    writeFileSync(join(inbox(repo), 'ev.1.1'), 'not a recorded event');
    writeFileSync(join(inbox(repo), 'ev.1.2'), Buffer.concat([Buffer.from('specmap-agent-event 1\0claude\0\0/\0\0\0'), Buffer.from('{broken')]));
    await record(['claude'], { cwd: repo.dir, env: { ...repo.env, CLAUDE_PROJECT_DIR: repo.dir }, input: write(repo, join(repo.dir, 'README.md'), 'update') });
    await ok(['list'], { cwd: repo.dir, env: repo.env });
    expect(readdirSync(inbox(repo))).toEqual([]);
    expect((await artifacts(repo)).modified).toEqual(['README.md']);
  });

  it('records into a linked worktree’s own git dir, settled by a command run there', async () => {
    const repo = makeRepo();
    const wt = join(scratch(), 'wt');
    repo.git('worktree', 'add', '-q', '-b', 'side', wt);
    await ok(['init'], { cwd: wt, env: repo.env });
    writeFileSync(join(wt, 'side.txt'), 's\n');
    const payload = JSON.stringify({ session_id: 'conv-w', hook_event_name: 'PostToolUse', cwd: wt, tool_name: 'Write', tool_input: { file_path: join(wt, 'side.txt') }, tool_response: { type: 'create' } });
    expect((await record(['claude'], { cwd: wt, env: { ...repo.env, CLAUDE_PROJECT_DIR: wt }, input: payload })).code).toBe(0);
    expect(existsSync(inbox(repo))).toBe(false);
    const show = JSON.parse((await ok(['show', '@', '--json'], { cwd: wt, env: repo.env })).stdout);
    expect(show.artifacts.created).toEqual(['side.txt']);
  });
});
