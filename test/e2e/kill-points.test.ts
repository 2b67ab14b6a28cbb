import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { CLI, doctorFindings, ok } from '../support/cli.js';
import { mulberry32 } from '../support/prng.js';

/**
 * Kill points, not kill windows: every git call specmap makes and every rename it does is a numbered step
 * (SPECMAP_TEST_STEPS_FILE lists them; SPECMAP_TEST_KILL_STEP=<n> makes the process SIGKILL itself at step n). For
 * each operation a run counts its steps, then runs killed at chosen steps follow, each on a fresh copy of the same
 * state. After every kill: `git fsck --strict` is clean, `doctor --fix` then `doctor` find nothing, every backup
 * verifies, and an in-place restore left each file old or new. `npm test` kills at a seeded sample of steps;
 * `npm run test:crash` (KILL_POINTS=all) at every one.
 */
const ALL = process.env.KILL_POINTS === 'all';
const SAMPLE = Number(process.env.KILL_POINT_SAMPLE ?? 2);
const SEED = Number(process.env.CRASH_SEED ?? 20261202);

interface Op {
  name: string;
  /** Builds the state the operation starts from; returns the operation's argv. */
  setup: (repo: TestRepo) => Promise<string[]>;
  /** Files an in-place restore writes, with their content before and after. */
  files?: (repo: TestRepo) => Record<string, [string, string]>;
}

const cli = (repo: TestRepo, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: repo.dir, env: { ...repo.env, SPECMAP_BACKGROUND: '0', ...env }, encoding: 'utf8' });

async function session(repo: TestRepo): Promise<void> {
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'kill points'], o);
  repo.write('src/a.js', 'a1\n');
  await ok(['checkpoint', '@', 'first'], o);
}

const OPS: Op[] = [
  {
    name: 'checkpoint',
    setup: async (repo) => {
      await session(repo);
      repo.write('src/a.js', 'a2\n');
      repo.write('src/b.js', 'b\n');
      return ['checkpoint', '@', 'second'];
    },
  },
  { name: 'end', setup: async (repo) => (await session(repo), ['end', '@', '8']) },
  {
    name: 'backup daily',
    setup: async (repo) => {
      await session(repo);
      repo.write('02-planning/plan.md', '# plan\n');
      return ['backup', 'daily'];
    },
  },
  {
    name: 'milestone --force',
    setup: async (repo) => {
      await session(repo);
      await ok(['backup', 'milestone', 'm1'], { cwd: repo.dir, env: repo.env });
      repo.write('src/a.js', 'a2\n');
      repo.git('add', '-A');
      repo.git('commit', '-qm', 'more');
      return ['backup', 'milestone', 'm1', '--force'];
    },
  },
  {
    name: 'restore --in-place',
    setup: async (repo) => {
      await session(repo);
      repo.write('src/a.js', 'a2\n');
      repo.write('src/c.js', 'c\n');
      await ok(['checkpoint', '@', 'second'], { cwd: repo.dir, env: repo.env });
      repo.write('src/a.js', 'a3, not checkpointed\n');
      return ['restore', '--restore-checkpoint', '@', 'checkpoint-001', '--in-place'];
    },
    files: () => ({ 'src/a.js': ['a3, not checkpointed\n', 'a1\n'] }),
  },
  {
    name: 'push',
    setup: async (repo) => {
      await session(repo);
      const remote = join(scratch(), 'remote.git');
      execFileSync('git', ['init', '-q', '--bare', remote], { env: repo.env });
      repo.git('remote', 'add', 'origin', remote);
      return ['push', 'origin'];
    },
  },
];

describe('kill points', () => {
  for (const op of OPS) {
    it(`${op.name}: killed at ${ALL ? 'every step' : `${SAMPLE} seeded steps`}, the project is consistent after doctor --fix`, { timeout: ALL ? 900_000 : 120_000 }, async () => {
      const count = makeRepo();
      const args = await op.setup(count);
      const stepsFile = join(scratch(), 'steps');
      const full = cli(count, args, { SPECMAP_TEST_STEPS_FILE: stepsFile });
      expect(full.status, full.stderr).toBe(0);
      const steps = readFileSync(stepsFile, 'utf8').trim().split('\n');
      expect(steps.length).toBeGreaterThan(3);
      // KILL_POINTS_REPORT=<file>: the figures for README's Guarantees table.
      if (process.env.KILL_POINTS_REPORT) appendFileSync(process.env.KILL_POINTS_REPORT, `${op.name}\t${steps.length}\n`);
      const rand = mulberry32(SEED + op.name.length);
      const chosen = ALL ? steps.map((_, i) => i + 1) : [...new Set(Array.from({ length: SAMPLE }, () => 1 + Math.floor(rand() * steps.length)))];
      for (const k of chosen) {
        const repo = makeRepo();
        const again = await op.setup(repo);
        const r = cli(repo, again, { SPECMAP_TEST_KILL_STEP: String(k) });
        const where = `${op.name}, killed at step ${k} of ${steps.length} (${steps[k - 1]})`;
        expect(r.signal, where).toBe('SIGKILL');
        const fsck = spawnSync('git', ['fsck', '--strict', '--no-dangling', '--no-progress'], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
        expect(fsck.status, `${where}: ${fsck.stderr}`).toBe(0);
        for (const [file, [before, after]] of Object.entries(op.files?.(repo) ?? {})) {
          expect([before, after], `${where}: ${file}`).toContain(readFileSync(join(repo.dir, file), 'utf8'));
        }
        await doctorFindings(repo, true);
        expect((await doctorFindings(repo)).map((f) => `${f.check} ${f.subject}: ${f.message}`), where).toEqual([]);
        if (existsSync(join(repo.dir, '04-agents/backups'))) {
          const verify = cli(repo, ['backup', 'verify']);
          expect(verify.status, `${where}: ${verify.stdout}${verify.stderr}`).toBe(0);
        }
      }
    });
  }
});
