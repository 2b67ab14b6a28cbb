import { join } from 'node:path';
import { CA_CERTS, CLI, benchEnv, rmrf, run, specmap, specmapJson, withCaCerts } from '../lib/exec.mjs';
import { workingCopy } from '../lib/repo-gen.mjs';
import { GROUPS, interleave, row, targets } from '../lib/timing.mjs';
import { workspaceTemplate } from './end-zip.mjs';

/**
 * Fixed costs every call pays: Node itself, specmap's entry, one git process; and issue 19's fixed-cost targets
 * (`--version`, `list`, `end` of a small session), without NODE_EXTRA_CA_CERTS and, as separate rows, with it.
 * `log -n 10` is in the log case (it needs the cached session of 1,000 checkpoints).
 */
export async function startup(ctx) {
  const runs = ctx.quick ? 3 : 15;
  const dir = workingCopy('S', 'startup', ctx.log);
  for (let i = 0; i < 3; i += 1) specmap(dir, ['start', `fixed cost ${i}`]);
  const tmpl = workspaceTemplate('small');
  const ca = withCaCerts();
  const active = join(dir, '04-agents', 'sessions', 'active');
  /** `end` of a just-started session with the 20-file workspace, with its ZIP backup (the default). */
  const ender = (env) => {
    let id;
    return {
      prep: (i) => {
        id = specmapJson(dir, ['start', `end ${i}`]).session_id;
        run('cp', ['-r', `${tmpl}/.`, join(active, id)]);
        rmrf(join(active, id, '.done'));
      },
      fn: () => specmap(dir, ['end', id], { env }).ms,
    };
  };
  const sides = {
    'node -e 0': () => run(process.execPath, ['-e', '0']).ms,
    'sh -c true': () => run('sh', ['-c', 'true']).ms,
    'git --version': () => run('git', ['--version']).ms,
    'git rev-parse HEAD (S repo)': () => run('git', ['rev-parse', 'HEAD'], { cwd: dir }).ms,
    'specmap --version': () => run(process.execPath, [CLI, '--version'], { env: benchEnv() }).ms,
    'specmap list (S, 3 active sessions)': () => specmap(dir, ['list']).ms,
    'specmap end of a small session (20-file workspace, with its ZIP)': ender(benchEnv()),
  };
  const fixed = {
    'specmap --version': targets.ms(45, GROUPS.fixed),
    'specmap list (S, 3 active sessions)': targets.ms(65, GROUPS.fixed),
    'specmap end of a small session (20-file workspace, with its ZIP)': targets.ms(75, GROUPS.fixed),
  };
  if (CA_CERTS) {
    sides['node -e 0, with NODE_EXTRA_CA_CERTS'] = () => run(process.execPath, ['-e', '0'], { env: ca }).ms;
    sides['specmap --version, with NODE_EXTRA_CA_CERTS'] = () => run(process.execPath, [CLI, '--version'], { env: ca }).ms;
    sides['specmap list, with NODE_EXTRA_CA_CERTS'] = () => specmap(dir, ['list'], { env: ca }).ms;
    sides['specmap end of a small session, with NODE_EXTRA_CA_CERTS'] = ender(ca);
  }
  const r = interleave({ warmup: ctx.quick ? 1 : 2, runs, sides });
  const rows = Object.keys(sides).map((label, i) => row({ id: `startup-${i}`, label, a: r[label], ...(fixed[label] ?? {}) }));
  ctx.cleanup(dir);
  ctx.cleanup(tmpl);
  return {
    key: 'startup',
    title: 'Fixed costs of one call',
    rows,
    note: 'Every specmap command pays Node start-up plus loading its entry module; every git call pays one process. '
      + `All calls run in the same rounds, in rotating order, median of ${runs}. `
      + (CA_CERTS
        ? 'This environment sets NODE_EXTRA_CA_CERTS, which makes every Node start read a CA bundle; every child of the '
          + 'benchmark runs without it except the rows that say so.'
        : 'NODE_EXTRA_CA_CERTS is not set here.'),
  };
}
