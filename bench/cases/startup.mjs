import { CLI, run } from '../lib/exec.mjs';
import { pristineRepo } from '../lib/repo-gen.mjs';
import { repeat, row } from '../lib/timing.mjs';

/** Fixed costs every CLI call pays: Node itself, loading specmap's entry, one git process. */
export async function startup(ctx) {
  const runs = ctx.quick ? 5 : 15;
  const repo = pristineRepo('S', ctx.log);
  const cases = [
    ['node -e 0', () => run(process.execPath, ['-e', '0']).ms],
    ['specmap --version', () => run(process.execPath, [CLI, '--version']).ms],
    ['git --version', () => run('git', ['--version']).ms],
    ['git rev-parse HEAD (S repo)', () => run('git', ['rev-parse', 'HEAD'], { cwd: repo }).ms],
    ['sh -c true', () => run('sh', ['-c', 'true']).ms],
  ];
  const rows = cases.map(([label, fn], i) => row({ id: `startup-${i}`, label, a: repeat({ warmup: 2, runs, fn }) }));
  return {
    key: 'startup',
    title: 'Fixed costs of one call',
    rows,
    note: 'Every specmap command pays Node start-up plus loading its entry module; every git call pays one process.',
  };
}
