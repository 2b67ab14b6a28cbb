import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ok, runCli } from '../support/cli.js';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { eventually } from '../support/wait.js';

// Progress, pager and colour in a real terminal: tmux, 80 columns wide. Everything the pane receives is recorded
// (pipe-pane), so what was drawn is checked byte for byte, and capture-pane -J shows what stays on the screen with
// wrapped lines joined (a line too wide for the terminal shows as one longer than 80).

const WIDTH = 80;
const ESC = '\u001b';

/** What a user at a terminal does not have set: CI, colour and pager settings of whoever runs the tests. */
const NOT_A_USERS = ['CI', 'NO_COLOR', 'FORCE_COLOR', 'PAGER', 'GIT_PAGER', 'LESS', 'LV', 'SPECMAP_NOW'];

/** The environment of a user at a terminal: none of NOT_A_USERS inherited from whoever runs the tests. */
function userEnv(repo: TestRepo, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(repo.env)) if (v !== undefined) env[k] = v;
  // TMUX and TERM too: inside tmux they are tmux's.
  for (const k of [...NOT_A_USERS, 'TMUX', 'TERM']) delete env[k];
  return { ...env, ...extra };
}

interface Pane {
  /** Everything the pane received so far. */
  raw(): string;
  /** The screen, wrapped lines joined. */
  screen(): string;
  /** Waits until the screen matches (the script prints markers), or fails after `seconds`. */
  waitFor(want: RegExp, seconds?: number, each?: (screen: string) => void): Promise<string>;
  keys(...keys: string[]): void;
  close(): void;
}

/**
 * A tmux session running `script` (sh) in `dir`, WIDTH columns wide, its output recorded from the first byte: the
 * script waits for a go file that is created once pipe-pane is on.
 */
function pane(dir: string, script: string, env: Record<string, string>): Pane {
  const work = scratch('specmap-tty-');
  const name = `specmap-tty-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const rawFile = join(work, 'raw');
  const go = join(work, 'go');
  const scriptFile = join(work, 'run.sh');
  const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`).join('\n');
  // The pane's shell starts from the tmux server's environment, which is that of whoever started the server (CI
  // sets CI=true): what `env` leaves out is unset, not inherited.
  const unset = NOT_A_USERS.filter((k) => !(k in env));
  writeFileSync(scriptFile, `${unset.length ? `unset ${unset.join(' ')}\n` : ''}${exports}\ncd '${dir}'\nwhile [ ! -e '${go}' ]; do sleep 0.05; done\n${script}\necho "=== END ==="\nsleep 600\n`);
  const tmux = (...args: string[]) => spawnSync('tmux', args, { env: { ...process.env, TMUX: '' }, encoding: 'utf8' });
  expect(tmux('new-session', '-d', '-s', name, '-x', String(WIDTH), '-y', '40', `sh '${scriptFile}'`).status).toBe(0);
  writeFileSync(rawFile, '');
  expect(tmux('pipe-pane', '-o', '-t', name, `cat >> '${rawFile}'`).status).toBe(0);
  writeFileSync(go, '');
  const screen = () => tmux('capture-pane', '-p', '-J', '-t', name).stdout;
  return {
    raw: () => readFileSync(rawFile, 'utf8'),
    screen,
    async waitFor(want, seconds = 60, each) {
      const shown = await eventually(() => {
        const s = screen();
        each?.(s);
        return want.test(s) && s;
      }, { timeoutMs: seconds * 1000 });
      if (!shown) throw new Error(`the terminal never showed ${want}; it shows:\n${screen()}`);
      return shown;
    },
    keys: (...keys) => void tmux('send-keys', '-t', name, ...keys),
    close: () => void tmux('kill-session', '-t', name),
  };
}

const node = `'${process.execPath}' '${CLI}'`;

/** The text of a stretch of the raw stream, escape sequences out. */
const plain = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

/** A project big enough that a milestone backup takes well over a second: 4,000 files of 4 KiB that barely compress. */
function bigProject(): TestRepo {
  const repo = makeRepo();
  writeBigFiles(repo);
  repo.commitAll('a big project');
  return repo;
}

/** bigProject's 4,000 files, each (re)written with new random content. */
function writeBigFiles(repo: TestRepo): void {
  for (let d = 0; d < 40; d++) for (let f = 0; f < 100; f++) repo.write(`src/d${d}/f${f}.txt`, randomBytes(3072).toString('base64'));
}

/** One script running `commands` in turn, each between "=== run i ===" and "=== exit <status> ===" markers. */
const numberedRuns = (commands: string[]) => commands.map((r, i) => `echo "=== run ${i} ==="; ${r}; echo "=== exit $? ==="`).join('\n');

/** What the pane received for run `i` of numberedRuns, from its marker to its exit line. */
const runSegment = (raw: string, i: number) => {
  const from = raw.indexOf(`=== run ${i} ===`);
  return raw.slice(from, raw.indexOf('=== exit', from));
};

const PROGRESS = /^(snapshotting|archiving|checking)\b/;

describe('progress on a terminal 80 columns wide (tmux)', () => {
  it('redraws one line in place, never wider than the terminal, erased before the result; nothing on a pipe, with --json, --quiet or CI', async () => {
    const repo = bigProject();
    const env = userEnv(repo);
    await ok(['init'], { cwd: repo.dir, env });
    const runs = [
      `${node} backup milestone m1`,
      `${node} backup milestone m2 --json`,
      `CI=true ${node} backup milestone m3`,
      `${node} --quiet backup milestone m4`,
    ];
    const p = pane(repo.dir, numberedRuns(runs), env);
    try {
      let most = 0;
      const final = await p.waitFor(/^=== END ===$/m, 240, (s) => {
        const lines = s.split('\n');
        most = Math.max(most, lines.filter((l) => PROGRESS.test(l)).length);
        for (const l of lines) expect(l.length, `a line wider than the terminal: ${l}`).toBeLessThanOrEqual(WIDTH);
      });
      // At no moment was there more than one progress line on the screen, and none is left at the end.
      expect(most).toBeLessThanOrEqual(1);
      const lines = final.split('\n');
      expect(lines.filter((l) => PROGRESS.test(l))).toEqual([]);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(WIDTH);
      expect(lines.filter((l) => l.startsWith('=== exit '))).toEqual(['=== exit 0 ===', '=== exit 0 ===', '=== exit 0 ===', '=== exit 0 ===']);
      const raw = p.raw();
      expect(plain(raw)).toMatch(/📦 Milestone backup m1: 4,\d{3} files, [\d.]+ MiB; ZIP [\d.]+ MiB on disk/);
      const segment = (i: number) => runSegment(raw, i);
      // Run 0: frames drawn with \r, each narrower than the terminal, and no newline from the first frame to the
      // erase: the line was redrawn in place, every time.
      const first = segment(0);
      const start = first.indexOf('\r', first.indexOf('\n', first.indexOf('=== run 0 ===')) + 1);
      const erase = first.lastIndexOf(`\r${ESC}[K`);
      expect(start).toBeGreaterThan(0);
      const drawn = first.slice(start, erase);
      expect(drawn).not.toContain('\n');
      const frames = drawn.split('\r').map(plain).filter((f) => f.trim() !== '');
      expect(frames.length).toBeGreaterThan(1);
      for (const f of frames) {
        expect(f).toMatch(PROGRESS);
        expect(f.length).toBeLessThan(WIDTH);
      }
      expect(frames.some((f) => /^archiving .*\d+%.*\/4,\d{3} files/.test(f))).toBe(true);
      // Runs 1-3: --json, CI, --quiet: no progress drawn at all.
      for (const i of [1, 2, 3]) {
        expect(segment(i), `run ${i}`).not.toMatch(/snapshotting|archiving|checking/);
      }
      const json = JSON.parse(plain(segment(1)).slice(plain(segment(1)).indexOf('{'))) as { name: string; files: number };
      expect(json.name).toBe('m2');
      expect(json.files).toBeGreaterThan(4000);
      // --quiet printed nothing at all.
      expect(plain(segment(3)).replace(/=== run 3 ===\s*/, '').trim()).toBe('');
    } finally {
      p.close();
    }

    // A pipe: the result on stdout, nothing on stderr.
    const piped = await runCli(['backup', 'milestone', 'm5'], { cwd: repo.dir, env });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toMatch(/📦 Milestone backup m5: 4,\d{3} files/);
  }, 300_000);
});

describe('progress of checkpoint, restore and end on a terminal 80 columns wide (tmux)', () => {
  it('draws each command\'s phases in place, never wider than the terminal, and erases them before the result', async () => {
    const repo = bigProject();
    // From the first report on (SPECMAP_PROGRESS_AFTER_MS=0): what is tested is the drawing, not this machine's speed.
    const env = userEnv(repo, { SPECMAP_PROGRESS_AFTER_MS: '0' });
    await ok(['start', 'progress'], { cwd: repo.dir, env });
    writeBigFiles(repo);
    const runs: [string, RegExp][] = [
      [`${node} checkpoint @ 'every file changed'`, /^snapshotting\b/],
      [`${node} restore checkpoint @:~0`, /^restoring\b/],
      [`${node} end @ 8`, /^(reading checkpoint|zipping)\b/],
    ];
    const PHASES = /^(snapshotting|restoring|reading checkpoint|zipping)\b/;
    const p = pane(repo.dir, numberedRuns(runs.map(([r]) => r)), env);
    try {
      // The results may wrap (a long list of names); a progress line never does.
      const final = await p.waitFor(/^=== END ===$/m, 240, (screen) => {
        for (const l of screen.split('\n')) if (PHASES.test(l)) expect(l.length, `a progress line wider than the terminal: ${l}`).toBeLessThan(WIDTH);
      });
      expect(final.split('\n').filter((l) => l.startsWith('=== exit '))).toEqual(['=== exit 0 ===', '=== exit 0 ===', '=== exit 0 ===']);
      const raw = p.raw();
      runs.forEach(([, phase], i) => {
        const segment = runSegment(raw, i);
        const frames = segment.split('\r').map(plain).map((f) => f.replace(/\n[\s\S]*$/, '')).filter((f) => f.trim() !== '');
        const drawn = frames.filter((f) => phase.test(f));
        expect(drawn.length, `run ${i}: a progress frame`).toBeGreaterThan(0);
        for (const f of drawn) expect(f.length, `run ${i}: ${f}`).toBeLessThan(WIDTH);
        // Erased before the result: the last progress frame is followed by the erase, then the result's lines.
        expect(segment.lastIndexOf(`\r${ESC}[K`), `run ${i}: erased`).toBeGreaterThan(segment.lastIndexOf(drawn.at(-1)!));
      });
      // Nothing of the progress is left on the screen.
      expect(final.split('\n').filter((l) => PHASES.test(l))).toEqual([]);
      expect(final).toMatch(/💾 Checkpoint created: "every file changed"/);
      expect(final).toMatch(/✅ Session completed/);
    } finally {
      p.close();
    }
  }, 300_000);
});

describe('the pager (tmux)', () => {
  /** A pager that records that it ran, with LESS and LV as it got them, and what it was given. */
  function recordingPager(dir: string, name: string): string {
    const path = join(dir, `${name}.sh`);
    writeFileSync(path, `#!/bin/sh\n{ echo "ran ${name} LESS=$LESS LV=$LV"; cat; } > '${dir}/${name}.out'\n`);
    chmodSync(path, 0o755);
    return path;
  }

  it('pages log, show and diff through PAGER with LESS=FRX, prefers core.pager, and does not page with --no-pager or on a pipe', async () => {
    const repo = makeRepo();
    const env = userEnv(repo, { NO_COLOR: '1' });
    const o = { cwd: repo.dir, env, now: '2025-10-25T14:00:00' };
    await ok(['start', 'paging'], o);
    repo.write('src/main.js', "console.log('paged');\n");
    await ok(['checkpoint', '@', 'Paged change'], { ...o, now: '2025-10-25T14:05:00' });
    const out = scratch('specmap-pager-');
    const pager = recordingPager(out, 'pager');
    const core = recordingPager(out, 'core');
    const result = (name: string) => (existsSync(join(out, `${name}.out`)) ? readFileSync(join(out, `${name}.out`), 'utf8') : undefined);

    const script = [
      `${node} log; echo "=== log ==="`,
      `${node} --no-pager log; echo "=== nopager ==="`,
      `mv '${out}/pager.out' '${out}/log.out'`,
      `${node} show @; mv '${out}/pager.out' '${out}/show.out'`,
      `echo "console.log('paged again');" > src/main.js; ${node} diff @:~0; mv '${out}/pager.out' '${out}/diff.out'`,
      `git config core.pager '${core}'; ${node} log --oneline; git config --unset core.pager; echo "=== core ==="`,
      `LESS=-R ${node} log; mv '${out}/pager.out' '${out}/less.out'; echo "=== less ==="`,
    ].join('\n');
    const p = pane(repo.dir, script, { ...env, PAGER: pager });
    try {
      const screen = await p.waitFor(/^=== END ===$/m);
      // --no-pager printed the log in the terminal itself.
      const noPager = screen.slice(screen.indexOf('=== log ==='), screen.indexOf('=== nopager ==='));
      expect(noPager).toContain('    Paged change');
    } finally {
      p.close();
    }
    const log = result('log');
    expect(log).toMatch(/^ran pager LESS=FRX LV=-c\n/);
    expect(log).toContain('    Paged change');
    expect(log).toMatch(/Date: {4}2025-10-25 14:05:00 [+-]\d\d:\d\d/);
    expect(result('show')).toMatch(/^ran pager .*\nSession \S+-paging \(active\)/);
    expect(result('diff')).toContain("+console.log('paged again');");
    expect(result('core')).toMatch(/^ran core LESS=FRX/);
    expect(result('core')).toContain('Paged change');
    // The user's LESS is left as it is.
    expect(result('less')).toMatch(/^ran pager LESS=-R /);
    expect(result('pager')).toBeUndefined();

    // On a pipe nothing is paged.
    const piped = await ok(['log'], { ...o, env: { ...env, PAGER: pager } });
    expect(piped.stdout).toContain('    Paged change');
    expect(result('pager')).toBeUndefined();
  }, 120_000);

  it('replay pages the whole checkpoint on Enter, and steps on after the pager exits', async () => {
    const repo = makeRepo();
    const env = userEnv(repo, { NO_COLOR: '1' });
    const o = { cwd: repo.dir, env };
    await ok(['start', 'replayed'], o);
    repo.write('long.txt', Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join(''));
    await ok(['checkpoint', '@', 'A long change'], o);
    const out = scratch('specmap-pager-');
    const pager = recordingPager(out, 'pager');
    const p = pane(repo.dir, `${node} replay @`, { ...env, PAGER: pager });
    try {
      await p.waitFor(/1\/1 {2}\[n\]ext.*\[Enter\] page/);
      expect(p.screen()).toContain('more lines (Enter pages through all of it)');
      p.keys('Enter');
      await eventually(() => existsSync(join(out, 'pager.out')));
      await p.waitFor(/1\/1 {2}\[n\]ext/);
      p.keys('q');
      await p.waitFor(/^=== END ===$/m);
    } finally {
      p.close();
    }
    const paged = readFileSync(join(out, 'pager.out'), 'utf8');
    expect(paged).toContain('    A long change');
    expect(paged).toContain('+line 199');
  }, 120_000);
});

describe('colour', () => {
  async function logPatch(repo: TestRepo, args: string[], extra: Record<string, string>): Promise<string> {
    return (await ok([...args, 'log', '-p'], { cwd: repo.dir, env: userEnv(repo, extra) })).stdout;
  }

  it('follows --color, git\'s color.ui, FORCE_COLOR and NO_COLOR on a pipe', async () => {
    const repo = makeRepo();
    const env = userEnv(repo);
    await ok(['start', 'colours'], { cwd: repo.dir, env });
    repo.write('src/main.js', "console.log('colour');\n");
    await ok(['checkpoint', '@', 'Coloured'], { cwd: repo.dir, env });
    const coloured = (s: string) => s.includes(`${ESC}[`);
    expect(coloured(await logPatch(repo, [], {}))).toBe(false);
    expect(coloured(await logPatch(repo, [], { FORCE_COLOR: '1' }))).toBe(true);
    expect(coloured(await logPatch(repo, [], { FORCE_COLOR: '0' }))).toBe(false);
    expect(coloured(await logPatch(repo, [], { FORCE_COLOR: '1', NO_COLOR: '1' }))).toBe(true);
    expect(coloured(await logPatch(repo, ['--color=always'], { NO_COLOR: '1' }))).toBe(true);
    expect(coloured(await logPatch(repo, ['--color', 'never'], { FORCE_COLOR: '1' }))).toBe(false);
    repo.git('config', 'color.ui', 'always');
    expect(coloured(await logPatch(repo, [], { NO_COLOR: '1' }))).toBe(true);
    expect(coloured(await logPatch(repo, ['--color=never'], {}))).toBe(false);
    expect(coloured(await logPatch(repo, ['--color=auto'], {}))).toBe(false);
    repo.git('config', 'color.ui', 'never');
    expect(coloured(await logPatch(repo, [], { FORCE_COLOR: '1' }))).toBe(false);
    // A bad --color is a usage error, one line.
    const bad = await runCli(['--color=sometimes', 'log'], { cwd: repo.dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^specmap: .*sometimes.*\n$/);
  });

  it('colours on a terminal unless NO_COLOR says not to (tmux)', async () => {
    const repo = makeRepo();
    const env = userEnv(repo);
    await ok(['start', 'colours'], { cwd: repo.dir, env });
    repo.write('src/main.js', "console.log('colour');\n");
    await ok(['checkpoint', '@', 'Coloured'], { cwd: repo.dir, env });
    const p = pane(repo.dir, [
      `echo "=== plain ==="; ${node} --no-pager log -p`,
      `echo "=== nocolor ==="; NO_COLOR=1 ${node} --no-pager log -p`,
      'echo "=== done ==="',
    ].join('\n'), env);
    try {
      await p.waitFor(/^=== END ===$/m);
      const raw = p.raw();
      const tty = raw.slice(raw.indexOf('=== plain ==='), raw.indexOf('=== nocolor ==='));
      const noColor = raw.slice(raw.indexOf('=== nocolor ==='), raw.indexOf('=== done ==='));
      expect(tty).toContain(`${ESC}[33mcheckpoint `);
      expect(tty).toContain('Coloured');
      expect(noColor).toContain('Coloured');
      expect(noColor).not.toContain(`${ESC}[33m`);
    } finally {
      p.close();
    }
  }, 120_000);
});
