import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ok, oneLineError, runCli, type CliResult } from '../support/cli.js';
import { isolatedEnv, makeRepo, scratch } from '../support/repo.js';
import { eventually } from '../support/wait.js';

const GROUPS = ['Sessions:', 'Checkpoints:', 'Backups and restore:', 'Sharing:', 'Integrations:', 'Maintenance:'];
const PLUMBING = ['hook', 'agent-hook', 'complete-backups', '__complete'];

const json = (r: CliResult) => JSON.parse(r.stdout) as { error: { code: string; exitCode: number; message: string } };

/** Every command path the program has (hidden ones too), read from the completion script generated from it. */
async function commandPaths(o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string[][]> {
  const script = (await ok(['completion', 'bash'], o)).stdout;
  return [...script.matchAll(/^ {4}'(specmap(?: [^']+)?)'\)$/gm)].map((m) => m[1]!.split(' ').slice(1));
}

describe('specmap --help', () => {
  it('groups the commands, hides the plumbing, and fits 80 columns in a real 80-column terminal (tmux)', async () => {
    const dir = scratch();
    const env = isolatedEnv(dir);
    const reference = (await ok(['--help'], { cwd: dir, env })).stdout;
    const socket = `specmap-help-${process.pid}-${Date.now()}`;
    const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { env: { ...env, TMUX: '' }, encoding: 'utf8' });
    expect(tmux('new-session', '-d', '-x', '80', '-y', '50', `'${process.execPath}' '${CLI}' --help; sleep 120`).status).toBe(0);
    try {
      const capture = () => tmux('capture-pane', '-p', '-S', '-').stdout;
      const screen = (await eventually(() => { const s = capture(); return s.includes('specmap completion bash|zsh|fish') && s; })) || capture();
      expect(tmux('display-message', '-p', '#{pane_width}').stdout.trim()).toBe('80');
      // -J joins the lines the terminal wrapped: none may be longer than the terminal.
      const joined = tmux('capture-pane', '-p', '-J', '-S', '-').stdout.split('\n');
      expect(joined.filter((l) => l.trimEnd().length > 80)).toEqual([]);
      // A word cut at the edge would leave pieces the help text does not have.
      const words = new Set(reference.split(/\s+/));
      expect(screen.split(/\s+/).filter((w) => w !== '' && !words.has(w))).toEqual([]);
      for (const g of GROUPS) expect(screen).toMatch(new RegExp(`^${g}$`, 'm'));
      for (const name of ['start', 'checkpoint', 'restore', 'push', 'completion', 'doctor']) expect(screen).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      for (const name of PLUMBING) expect(screen).not.toMatch(new RegExp(`^  ${name}\\b`, 'm'));
      expect(screen).toContain('specmap help plumbing');
    } finally {
      tmux('kill-server');
    }
  }, 120_000);

  it('gives every command a page under 80 columns, with the global options, examples, and no option listed twice', async () => {
    const dir = scratch();
    const o = { cwd: dir, env: isolatedEnv(dir) };
    const paths = await commandPaths(o);
    expect(paths.map((p) => p.join(' '))).toEqual(expect.arrayContaining(['', 'backup prune', 'backup offsite push', 'restore checkpoint', 'hooks install', 'hook', '__complete']));
    const problems: string[] = [];
    for (let i = 0; i < paths.length; i += 4) {
      const pages = await Promise.all(paths.slice(i, i + 4).map(async (p) => ({ p, page: (await ok([...p, '--help'], o)).stdout })));
      for (const { p, page } of pages) {
        const name = `specmap ${p.join(' ')}`.trim();
        for (const line of page.split('\n')) if (line.length > 80) problems.push(`${name}: ${line.length} columns: ${line}`);
        if (p.length > 0 && !/^Global Options:\n {2}-C <dir> +run as if .*\n {2}--json +print machine-readable JSON$/m.test(page)) problems.push(`${name}: no global options`);
        if (p.length > 0 && !page.includes('\nExamples:\n  ')) problems.push(`${name}: no examples`);
        // One line per option: a command's own option may not repeat a global one.
        const flags = [...page.matchAll(/^ {2}(-[\w-]+(?:, --[\w-]+)?)/gm)].map((m) => m[1]);
        for (const f of new Set(flags)) if (flags.filter((x) => x === f).length > 1) problems.push(`${name}: ${f} listed twice`);
        if (p.length > 0 && page.includes('-V, --version')) problems.push(`${name}: lists --version`);
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('documents the plumbing under specmap help plumbing, where each still runs', async () => {
    const dir = scratch();
    const o = { cwd: dir, env: isolatedEnv(dir) };
    const page = (await ok(['help', 'plumbing'], o)).stdout;
    for (const name of PLUMBING) expect(page).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(page.split('\n').filter((l) => l.length > 80)).toEqual([]);
    expect((await ok(['help', 'backup', 'prune'], o)).stdout).toMatch(/^Usage: specmap backup prune \[options\]/);
    expect((await ok(['hook', '--help'], o)).stdout).toMatch(/^Usage: specmap hook \[options\] <name>/);
    const unknown = await runCli(['help', 'nosuch'], o);
    expect(unknown.code).toBe(2);
    expect(oneLineError(unknown)).toBe('specmap: no command "nosuch" (specmap --help lists them; specmap help plumbing the rest)');
  });
});

describe('usage errors under --json', () => {
  it('print the JSON error on stdout as well: unknown command, bad flag, missing argument or subcommand, two modes', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const cases: [string[], RegExp][] = [
      [['strat', '--json'], /^unknown command 'strat' \(Did you mean start\?\)$/],
      [['list', '--bogus', '--json'], /^unknown option '--bogus'/],
      [['--json', 'show'], /^missing required argument 'session\[:checkpoint\]'$/],
      [['track', '@', '--json'], /^missing required argument 'file'$/],
      [['--json', 'backup'], /^backup needs a command: daily, milestone, list, verify, prune or offsite \(see specmap backup --help\)$/],
      [['backup', 'offsite', 'erase', '--json'], /^backup offsite takes push, pull, list or verify, not "erase"/],
      [['track', '@', 'a.txt', 'deleted', '--json'], /^command-argument value 'deleted' is invalid for argument 'action'\. Allowed choices are created, modified\.$/],
      [['restore', '--list-backups', '--list-checkpoints', '@', '--json'], /^option '--list-backups' cannot be used with option '--list-checkpoints <session>'$/],
      [['--json'], /^no command given \(specmap --help lists them\)$/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, o);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(json(r)).toEqual({ error: { code: 'USAGE', exitCode: 2, message: expect.stringMatching(message) } });
      if (args.length > 1) expect(oneLineError(r)).toBe(`specmap: ${json(r).error.message}`);
    }
    // Without --json, stdout stays empty.
    const plain = await runCli(['strat'], o);
    expect(plain.stdout).toBe('');
    expect(plain.code).toBe(2);
  }, 120_000);
});

describe('flags with values', () => {
  it('name the flag that got a bad number, before anything runs', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const cases: [string[], string][] = [
      [['backup', 'prune', '--keep-daily', 'x'], '--keep-daily wants a whole number, 0 or more, got "x"'],
      [['backup', 'prune', '--sessions', '-1'], '--sessions wants a whole number, 0 or more, got "-1"'],
      [['log', '-n', 'lots'], '-n/--max-count wants a whole number, 0 or more, got "lots"'],
      [['log', '--max-count', '2.5'], '-n/--max-count wants a whole number, 0 or more, got "2.5"'],
      [['gc', '--older-than', 'soon', '--dry-run'], '--older-than wants a whole number, 0 or more, got "soon"'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli([...args, '--json'], o);
      expect({ args, code: r.code }).toEqual({ args, code: 5 });
      expect(oneLineError(r)).toBe(`specmap: ${message}`);
      expect(json(r).error).toEqual({ code: 'INVALID_INPUT', exitCode: 5, message });
    }
    expect(existsSync(join(repo.dir, '04-agents'))).toBe(false);
  });
});

describe('backup and restore as subcommands, the spec forms kept', () => {
  async function twoCheckpoints() {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const id = JSON.parse((await ok(['start', 'auth', '--json'], o)).stdout).session_id as string;
    repo.write('a.txt', 'one\n');
    const first = JSON.parse((await ok(['checkpoint', '@', 'one', '--json'], o)).stdout).checkpoint_id as string;
    repo.write('a.txt', 'two\n');
    await ok(['checkpoint', '@', 'two'], o);
    return { repo, o, id, first };
  }

  it('restore checkpoint takes <session>:<checkpoint> or <session> <checkpoint>, like --restore-checkpoint, options anywhere', async () => {
    const { repo, o, id, first } = await twoCheckpoints();
    const dest = `04-agents/sessions/active/${id}-${first}-restored/`;
    const forms = [
      ['restore', 'checkpoint', `${id}:${first}`],
      ['restore', 'checkpoint', '@', first.slice(0, 14), '--force'],
      ['restore', '--force', 'checkpoint', '@:~1'],
      ['restore', '--restore-checkpoint', '@', first, '--force'],
      ['restore', '--force', '--restore-checkpoint', id, '~1'],
    ];
    for (const args of forms) {
      const r = JSON.parse((await ok([...args, '--json'], o)).stdout);
      expect({ args, at: r.checkpoint_id, dest: r.destination }).toEqual({ args, at: first, dest });
    }
    const again = await runCli(['restore', 'checkpoint', `@:${first}`], o);
    expect(again.code).toBe(7);
    expect(oneLineError(again)).toMatch(/already exists \(use --force to replace it\)/);
    // In place, only the path named, after a safety checkpoint.
    const inPlace = JSON.parse((await ok(['restore', 'checkpoint', '@:~1', 'a.txt', '--in-place', '--json'], o)).stdout);
    expect(inPlace.destination).toBe('.');
    expect(inPlace.safety.undo).toMatch(/^specmap restore /);
    expect(readFileSync(join(repo.dir, 'a.txt'), 'utf8')).toBe('one\n');
    const wrong: [string[], RegExp][] = [
      [['restore', 'checkpoint', '@:~1', '--to', 'x'], /^specmap: --to does not go with restore checkpoint$/],
      [['restore', 'checkpoint', '@:~1', '--list-backups'], /^specmap: --list-backups does not go with restore checkpoint$/],
      [['restore', 'checkpoint', '@'], /^specmap: restore checkpoint needs <session>:<checkpoint>, e\.g\. @:~0 \(or @ <checkpoint>\)$/],
      [['restore', 'chekpoint', '@'], /^specmap: restore takes checkpoint, backup, daily, milestone, list-checkpoints or list-backups, not "chekpoint"/],
      [['restore', 'list-backups', '--from', 'x'], /^specmap: --from does not go with restore list-backups$/],
    ];
    for (const [args, message] of wrong) {
      const r = await runCli(args, o);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(oneLineError(r)).toMatch(message);
    }
  }, 120_000);

  it('restore list-checkpoints and list-backups answer as --list-checkpoints and --list-backups do', async () => {
    const { o, id } = await twoCheckpoints();
    await ok(['end', '@'], o);
    const sub = (await ok(['restore', 'list-checkpoints', id, '--json'], o)).stdout;
    expect(JSON.parse(sub).checkpoints).toHaveLength(2);
    expect((await ok(['restore', '--list-checkpoints', id, '--json'], o)).stdout).toBe(sub);
    const backups = (await ok(['restore', 'list-backups', '--json'], o)).stdout;
    expect(JSON.parse(backups).backups.map((b: { name: string }) => b.name)).toEqual([id]);
    expect((await ok(['restore', '--list-backups', '--json'], o)).stdout).toBe(backups);
    const restored = JSON.parse((await ok(['restore', 'backup', id.slice(0, 21), '--json'], o)).stdout);
    expect(restored.destination).toBe(`04-agents/sessions/active/${id}-restored/`);
  }, 120_000);

  it('backup daily, milestone, list, verify and prune are subcommands with their own options', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    repo.write('TRACKING.md', '# Tracking\n');
    repo.commitAll('tracking');
    await ok(['backup', 'daily'], { ...o, now: '2025-10-24T10:00:00' });
    await ok(['backup', 'daily'], { ...o, now: '2025-10-25T10:00:00' });
    await ok(['backup', 'milestone', 'v1', '--json'], o);
    const again = await runCli(['backup', 'milestone', 'v1'], o);
    expect(again.code).toBe(7);
    await ok(['backup', 'milestone', '-f', 'v1'], o);
    const listed = JSON.parse((await ok(['backup', 'list', '--json'], o)).stdout).backups.map((b: { kind: string; name: string }) => `${b.kind} ${b.name}`);
    expect(listed).toEqual(expect.arrayContaining(['daily 2025-10-24', 'daily 2025-10-25', 'milestone v1']));
    expect(JSON.parse((await ok(['backup', 'verify', '2025-10-24', '--json'], o)).stdout).results).toHaveLength(1);
    const both = await runCli(['backup', 'verify', 'v1', '--all'], o);
    expect(both.code).toBe(2);
    expect(oneLineError(both)).toBe('specmap: give a backup or --all, not both');
    const dry = JSON.parse((await ok(['backup', 'prune', '--dry-run', '--keep-daily', '1', '--json'], o)).stdout);
    expect(dry.deleted.map((d: { name: string }) => d.name)).toEqual(['2025-10-24']);
    const extra = await runCli(['backup', 'daily', 'extra'], o);
    expect(extra.code).toBe(2);
    expect(oneLineError(extra)).toMatch(/too many arguments for 'daily'/);
    const missing = await runCli(['backup', 'milestone'], o);
    expect(missing.code).toBe(2);
    expect(oneLineError(missing)).toBe("specmap: missing required argument 'name'");
  }, 120_000);
});

describe('a reader that stops early', () => {
  /** Runs the CLI with its stdout's reading end closed before anything is written, as `specmap … | head -0` does. */
  const closedPipe = (args: string[], o: { cwd: string; env: NodeJS.ProcessEnv }) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('close', (code) => resolve({ code, stderr }));
  });

  it('drops what is left to print, quietly, and the command still does its work', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'piped'], o);
    repo.write('a.txt', 'a\n');
    for (const args of [['completion', 'zsh'], ['--help'], ['push', '--help'], ['--version'], ['list', '--all'], ['checkpoint', '@', 'written with nobody reading']]) {
      expect({ args, ...(await closedPipe(args, o)) }).toEqual({ args, code: 0, stderr: '' });
    }
    // The checkpoint whose output nobody read was made all the same.
    expect((await ok(['log', '--oneline'], o)).stdout).toContain('written with nobody reading');
  });

  it('says so in one line when the output cannot be written (a full disk), and exits 1', () => {
    const repo = makeRepo();
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'list', '--all'], { cwd: repo.dir, env: repo.env, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 1, stderr: 'specmap: cannot write the output: ENOSPC\n' });
    } finally {
      closeSync(full);
    }
  });
});
