import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ok, runCli, specmapBin } from '../support/cli.js';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { eventually } from '../support/wait.js';

// Shell completion, driven through the real shells: bash's completion function with COMP_WORDS as bash fills
// them, fish's own engine (complete -C), and interactive bash and zsh in tmux, pressing Tab.

interface World {
  repo: TestRepo;
  /** A folder with a `specmap` command on it, as an installed one would be. */
  bin: string;
  env: NodeJS.ProcessEnv;
  active: string;
  archived: string;
  checkpoints: string[];
}

let w: World;

beforeAll(async () => {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  const archived = JSON.parse((await ok(['start', 'first try', '--json'], { ...o, now: '2025-10-24T09:00:00' })).stdout).session_id;
  await ok(['end', archived], { ...o, now: '2025-10-24T10:00:00' });
  const active = JSON.parse((await ok(['start', 'authentication', '--json'], { ...o, now: '2025-10-25T09:00:00' })).stdout).session_id;
  const checkpoints: string[] = [];
  for (const [text, at] of [['one', '10:00:00'], ['two', '11:00:00']] as const) {
    repo.write('a.txt', `${text}\n`);
    checkpoints.push(JSON.parse((await ok(['checkpoint', '@', text, '--json'], { ...o, now: `2025-10-25T${at}` })).stdout).checkpoint_id);
  }
  // A restored copy is not a session; completion must not offer it.
  await ok(['restore', 'checkpoint', `@:${checkpoints[0]}`], o);
  repo.write('TRACKING.md', '# Tracking\n');
  repo.commitAll('tracking');
  await ok(['backup', 'daily'], { ...o, now: '2025-10-25T12:00:00' });
  await ok(['backup', 'milestone', 'v1.0'], o);
  const bin = specmapBin(join(scratch('specmap-bin-'), 'bin'));
  w = { repo, bin, env: { ...repo.env, PATH: `${bin}:${process.env.PATH}` }, active, archived, checkpoints };
}, 120_000);

/** What bash's `_specmap` puts in COMPREPLY for these COMP_WORDS (the last one is the word under the cursor). */
function bash(words: string[], cwd = w.repo.dir): string[] {
  const script = 'source <(specmap completion bash); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _specmap; printf "%s\\n" "${COMPREPLY[@]}"';
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script, 'bash', ...words], { cwd, env: w.env, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** What fish offers for the command line (candidate, tab, description), the script installed where fish looks. */
function fish(line: string): string[] {
  const config = scratch('specmap-fish-');
  mkdirSync(join(config, 'fish', 'completions'), { recursive: true });
  writeFileSync(join(config, 'fish', 'completions', 'specmap.fish'), spawnSync('specmap', ['completion', 'fish'], { env: w.env, encoding: 'utf8' }).stdout);
  const r = spawnSync('fish', ['--no-config', '-c', `set -p fish_complete_path ${config}/fish/completions; complete -C '${line}'`], {
    cwd: w.repo.dir, env: { ...w.env, XDG_CONFIG_HOME: config }, encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe('specmap completion bash', () => {
  it('completes commands by group, subcommands and options, hiding the plumbing', () => {
    expect(bash(['specmap', 'sh'])).toEqual(['show']);
    const top = bash(['specmap', '']);
    expect(top).toEqual(expect.arrayContaining(['init', 'start', 'checkpoint', 'backup', 'restore', 'push', 'hooks', 'completion', 'doctor', 'help']));
    for (const hidden of ['hook', 'agent-hook', 'complete-backups', '__complete']) expect(top).not.toContain(hidden);
    expect(bash(['specmap', 'backup', ''])).toEqual(['daily', 'milestone', 'list', 'verify', 'prune', 'offsite']);
    expect(bash(['specmap', 'backup', 'offsite', 'p'])).toEqual(['push', 'pull']);
    expect(bash(['specmap', 'restore', 'l'])).toEqual(['list-checkpoints', 'list-backups']);
    expect(bash(['specmap', 'backup', 'prune', '--k'])).toEqual(['--keep-daily', '--keep-milestones']);
    expect(bash(['specmap', 'list', '--'])).toEqual(expect.arrayContaining(['--all', '--remote', '--user', '--help', '--json']));
    expect(bash(['specmap', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(bash(['specmap', 'track', '@', 'a.txt', ''])).toEqual(['created', 'modified']);
    expect(bash(['specmap', 'start', 'x', 'c'])).toEqual(['claude', 'codex', 'cursor', 'copilot']);
    expect(bash(['specmap', 'help', 'plu'])).toEqual(['plumbing']);
    // The plumbing still completes once typed.
    expect(bash(['specmap', 'hook', ''])).toEqual(['pre-commit', 'post-commit', 'pre-push', 'post-rewrite', 'post-merge']);
  });

  it('completes session ids from the folders: every session, or only active ones where a command needs one', () => {
    expect(bash(['specmap', 'show', ''])).toEqual([w.archived, w.active]);
    expect(bash(['specmap', 'log', '2025-10-25'])).toEqual([w.active]);
    expect(bash(['specmap', 'checkpoint', ''])).toEqual([w.active]);
    expect(bash(['specmap', 'end', ''])).toEqual([w.active]);
    expect(bash(['specmap', 'restore', 'backup', ''])).toEqual([w.archived]);
    expect(bash(['specmap', 'restore', 'daily', ''])).toEqual(['2025-10-25']);
    expect(bash(['specmap', 'restore', 'milestone', ''])).toEqual(['v1.0']);
    expect(bash(['specmap', 'backup', 'verify', ''])).toEqual(['2025-10-25', 'v1.0', w.archived]);
    expect(bash(['specmap', 'start', 'x', '--template', ''])).toEqual(['specify', 'plan', 'implement', 'qa']);
    // -C names the project, from anywhere.
    expect(bash(['specmap', '-C', w.repo.dir, 'show', ''], scratch())).toEqual([w.archived, w.active]);
    expect(bash(['specmap', 'show', ''], scratch())).toEqual([]);
  });

  it('completes <session>:<checkpoint> although bash cuts words at the colon', () => {
    // Bash hands "2025-10-25-session-002:ch" over as three words; what it inserts replaces only the last one.
    expect(bash(['specmap', 'diff', ''])).toEqual(['@:', `${w.archived}:`, `${w.active}:`]);
    expect(bash(['specmap', 'show', w.active, ':', ''])).toEqual(w.checkpoints);
    expect(bash(['specmap', 'show', '2025-10-25', ':', 'checkpoint-002'])).toEqual([w.checkpoints[1]]);
    expect(bash(['specmap', 'diff', '@', ':', ''])).toEqual(w.checkpoints);
    expect(bash(['specmap', 'restore', 'checkpoint', '@', ':', 'checkpoint-001'])).toEqual([w.checkpoints[0]]);
    // The spec's form: the checkpoint of the session before it, and no subcommands after restore's own flag.
    expect(bash(['specmap', 'restore', '--restore-checkpoint', w.active, ''])).toEqual(w.checkpoints);
    // --option=value is cut at the = the same way.
    expect(bash(['specmap', 'restore', 'daily', '--to', '=', 'sr'])).toEqual(['src']);
    expect(bash(['specmap', 'merge', '@', '--into', ''])).toEqual(['main']);
  });

  it('reads the ids without git: specmap __complete works with no git on PATH', async () => {
    const o = { cwd: w.repo.dir, env: { ...w.repo.env, PATH: '/nonexistent' } };
    expect((await ok(['__complete', 'session', ''], o)).stdout).toBe(`${w.archived}\n${w.active}\n`);
    expect((await ok(['__complete', 'checkpoint', '@:'], o)).stdout).toBe(w.checkpoints.map((c) => `@:${c}\n`).join(''));
    expect((await ok(['__complete', 'checkpoint-of-prev', '', w.active.slice(0, 22)], o)).stdout).toBe(w.checkpoints.map((c) => `${c}\n`).join(''));
    expect((await ok(['__complete', 'session', 'nothing-like-it'], o)).stdout).toBe('');
    const unknown = await runCli(['__complete', 'bogus', ''], o);
    expect(unknown).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('specmap completion fish', () => {
  it('completes commands with their summaries, options, ids and checkpoints', () => {
    expect(fish('specmap sh')).toEqual(['show\ta session (metadata, artifacts, checkpoints) or one checkpoint']);
    expect(fish('specmap backup ').map((l) => l.split('\t')[0])).toEqual(['daily', 'list', 'milestone', 'offsite', 'prune', 'verify']);
    expect(fish('specmap backup prune --keep-d')).toEqual(['--keep-daily\tdaily backups to keep (default 14)']);
    expect(fish('specmap show ')).toEqual([w.archived, w.active]);
    expect(fish(`specmap show ${w.active}:`)).toEqual(w.checkpoints.map((c) => `${w.active}:${c}`));
    expect(fish('specmap diff ').sort()).toEqual([`${w.archived}:`, `${w.active}:`, '@:']);
    expect(fish(`specmap restore --restore-checkpoint ${w.active} `)).toEqual(w.checkpoints);
    expect(fish('specmap restore daily --to=sr')).toEqual(['--to=src/\tDirectory']);
    expect(fish('specmap start x --template ')).toEqual(['implement', 'plan', 'qa', 'specify']);
    expect(fish('specmap ').map((l) => l.split('\t')[0])).not.toContain('agent-hook');
  });
});

/** An interactive shell in tmux: type a line, press Tab, read the screen. */
function terminal(command: string) {
  const socket = `specmap-complete-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { env: { ...w.env, TMUX: '' }, encoding: 'utf8' });
  const env = `env -i HOME='${w.repo.home}' PATH='${w.env.PATH}' TERM=xterm GIT_CONFIG_GLOBAL='${w.repo.env.GIT_CONFIG_GLOBAL}' GIT_CONFIG_NOSYSTEM=1`;
  expect(tmux('new-session', '-d', '-x', '200', '-y', '40', '-c', w.repo.dir, `${env} ${command}`).status).toBe(0);
  // -N keeps the spaces at the ends of lines: the one completion types after a finished word.
  const screen = () => tmux('capture-pane', '-p', '-N').stdout;
  const waitFor = async (want: RegExp | string) => {
    const seen = (s: string) => (typeof want === 'string' ? s.includes(want) : want.test(s));
    return (await eventually(() => { const s = screen(); return seen(s) && s; })) || screen();
  };
  let n = 0;
  return {
    /** Runs a line and waits for its marker, so the shell is ready for the next. */
    async run(line: string) {
      const mark = `ready-${++n}`;
      tmux('send-keys', '-l', `${line}; echo ${mark}`);
      tmux('send-keys', 'Enter');
      expect(await waitFor(new RegExp(`^${mark}$`, 'm'))).toMatch(new RegExp(`^${mark}$`, 'm'));
    },
    /** Types `line` on an empty screen, presses Tab (twice: bash lists on the second) and waits for `want`. */
    async tab(line: string, want: RegExp, times = 1) {
      tmux('send-keys', 'C-u', 'C-l');
      tmux('clear-history');
      tmux('send-keys', '-l', line);
      await waitFor(line);
      for (let i = 0; i < times; i++) tmux('send-keys', 'Tab');
      const s = await waitFor(want);
      expect({ line, screen: s }).toEqual({ line, screen: expect.stringMatching(want) });
    },
    close: () => tmux('kill-server'),
  };
}

describe('completion in real interactive shells (tmux)', () => {
  it('bash, installed as the README says: source <(specmap completion bash)', async () => {
    const t = terminal('bash --norc --noprofile');
    try {
      await t.run("PS1='$ '; source <(specmap completion bash)");
      await t.tab('specmap sh', /^\$ specmap show $/m);
      await t.tab('specmap backup prune --keep-d', /^\$ specmap backup prune --keep-daily $/m);
      await t.tab(`specmap show ${w.active}:`, new RegExp(`^\\$ specmap show ${w.active}:checkpoint-00$`, 'm'));
      await t.tab('specmap diff @:checkpoint-002', new RegExp(`^\\$ specmap diff @:${w.checkpoints[1]} $`, 'm'));
      await t.tab('specmap diff 2025-10-24', new RegExp(`^\\$ specmap diff ${w.archived}:$`, 'm'));
    } finally {
      t.close();
    }
  }, 120_000);

  it('zsh, installed as the README says: the script as _specmap in a folder on $fpath', async () => {
    const fpath = scratch('specmap-zsh-');
    writeFileSync(join(fpath, '_specmap'), spawnSync('specmap', ['completion', 'zsh'], { env: w.env, encoding: 'utf8' }).stdout);
    const t = terminal('zsh -f');
    try {
      await t.run(`PS1='%% '; fpath=('${fpath}' $fpath); autoload -Uz compinit; compinit -u -D`);
      await t.tab('specmap sh', /^% specmap show $/m);
      await t.tab('specmap backup prune --keep-d', /^% specmap backup prune --keep-daily $/m);
      await t.tab('specmap backup o', /^% specmap backup offsite $/m);
      await t.tab(`specmap show ${w.active}:`, new RegExp(`^% specmap show ${w.active}:checkpoint-00`, 'm'));
      await t.tab('specmap diff @:checkpoint-002', new RegExp(`^% specmap diff @:${w.checkpoints[1]} $`, 'm'));
      await t.tab('specmap restore daily ', /^% specmap restore daily 2025-10-25 $/m);
      await t.tab('specmap s', /^show +-- a session \(metadata, artifacts, checkpoints\) or one checkpoint$/m);
    } finally {
      t.close();
    }
  }, 120_000);
});
