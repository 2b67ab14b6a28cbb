import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch, isolatedEnv } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

describe('the specmap binary', () => {
  it('prints help and its version with exit 0', async () => {
    const dir = scratch();
    const env = isolatedEnv(dir);
    const help = await ok(['--help'], { cwd: dir, env });
    for (const cmd of ['init', 'start', 'track', 'list', 'show', 'end', 'demo']) expect(help.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    const version = await ok(['--version'], { cwd: dir, env });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('answers an unknown command or option with one line and exit 2', async () => {
    const dir = scratch();
    const env = isolatedEnv(dir);
    const r = await runCli(['strat', 'x'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(/unknown command 'strat'/);
    const o = await runCli(['list', '--bogus'], { cwd: dir, env });
    expect(o.code).toBe(2);
    expect(oneLineError(o)).toMatch(/unknown option '--bogus'/);
  });

  it('reports errors as JSON on stdout too under --json, and outside a repository says NOT_A_REPO', async () => {
    const dir = scratch();
    const env = isolatedEnv(dir);
    const r = await runCli(['list', '--json'], { cwd: dir, env });
    expect(r.code).toBe(3);
    expect(oneLineError(r)).toMatch(/^specmap: not a git repository: .*\(run 'git init' first\)$/);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'NOT_A_REPO', exitCode: 3, message: expect.stringContaining('not a git repository') } });
  });

  it('init creates the layout and git-ignores backups once, idempotently', async () => {
    const repo = makeRepo();
    const first = await ok(['init', '--json'], { cwd: repo.dir, env: repo.env });
    expect(JSON.parse(first.stdout).created_dirs).toHaveLength(6);
    expect(JSON.parse(first.stdout).gitignore_updated).toBe(true);
    const second = await ok(['init', '--json'], { cwd: repo.dir, env: repo.env });
    expect(JSON.parse(second.stdout)).toMatchObject({ created_dirs: [], gitignore_updated: false });
    expect(repo.git('check-ignore', '04-agents/backups/daily/x.zip')).toBe('04-agents/backups/daily/x.zip');
  });

  it('runs the demo end to end and cleans up after itself', async () => {
    const dir = scratch();
    const env = isolatedEnv(dir, { TMPDIR: dir });
    const r = await ok(['demo', '--json'], { cwd: dir, env });
    const j = JSON.parse(r.stdout);
    const commands = j.steps.map((s: any) => s.command);
    expect(commands).toContain('specmap start "authentication feature" claude');
    const end = j.steps.find((s: any) => s.command.startsWith('specmap end'));
    expect(end.output.files_created).toBe(1);
    expect(end.output.files_modified).toBe(1);
    const zip = j.steps.find((s: any) => s.command.startsWith('unzip -l'));
    expect(zip.output.map((e: any) => e.name)).toContain('notes/ideas.md');
    const logout = j.steps.find((s: any) => s.command.startsWith('specmap checkpoint @ "Logout')).output;
    expect(zip.output.map((e: any) => e.name)).toContain(`snapshots/${logout.checkpoint_id}/src/auth.js`);
    expect(end.output.checkpoints).toBe(3);
    const restore = j.steps.find((s: any) => s.command.startsWith('specmap restore'));
    expect(restore.output.safety.checkpoint_id).toMatch(/^checkpoint-003-/);
    const tags = j.steps.find((s: any) => s.command.startsWith('git tag'));
    expect(tags.output).toHaveLength(3);
    expect(existsSync(j.dir)).toBe(false);
  });
});
