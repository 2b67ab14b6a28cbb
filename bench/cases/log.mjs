import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CA_CERTS, git, specmap, withCaCerts } from '../lib/exec.mjs';
import { checkpointChain } from '../lib/chain.mjs';
import { GROUPS, interleave, row, targets } from '../lib/timing.mjs';
import { chainCounts, chainSize } from './flat.mjs';

/**
 * `specmap log` in the cached sessions of the flat case (1 and 1,000 checkpoints at M): the whole log against
 * `git log --oneline` of the session ref, and `-n 10`, issue 19's fixed cost (≤ 60 ms whatever the history).
 */
export async function logCase(ctx) {
  const size = chainSize(ctx.quick);
  const counts = chainCounts(ctx.quick);
  const chain = await checkpointChain(size, counts, ctx.log);
  const { session } = chain;
  const few = counts[0];
  const many = counts.at(-1);
  const dFew = chain.dirs[few];
  const dMany = chain.dirs[many];
  const ref = `refs/sessions/${session}`;
  const runs = ctx.quick ? 3 : 15;
  const sides = {
    full: () => specmap(dMany, ['log', session, '--oneline']).ms,
    fullGit: () => git(dMany, ['log', '--oneline', ref]).ms,
    tenMany: () => specmap(dMany, ['log', session, '--oneline', '-n', '10']).ms,
    tenManyGit: () => git(dMany, ['log', '--oneline', '-n', '10', ref]).ms,
    tenFew: () => specmap(dFew, ['log', session, '--oneline', '-n', '10']).ms,
    tenFewGit: () => git(dFew, ['log', '--oneline', '-n', '10', ref]).ms,
  };
  if (CA_CERTS) sides.tenManyCa = () => specmap(dMany, ['log', session, '--oneline', '-n', '10'], { env: withCaCerts() }).ms;
  const r = interleave({ warmup: ctx.quick ? 1 : 2, runs, sides });
  const n = (c) => c.toLocaleString('en');
  const rows = [
    row({ id: `log-${many}`, label: `specmap log --oneline vs git log --oneline (${n(many)} checkpoints)`, a: r.full, b: r.fullGit, ...targets.ratio(1.5, 'git log', GROUPS.earlier) }),
    row({ id: `log-${many}-n10`, label: `log -n 10, session of ${n(many)} checkpoints (vs git log -n 10)`, a: r.tenMany, b: r.tenManyGit, ...targets.ms(60, GROUPS.fixed) }),
    row({ id: `log-${few}-n10`, label: `log -n 10, session of ${n(few)} checkpoint${few === 1 ? '' : 's'} (vs git log -n 10)`, a: r.tenFew, b: r.tenFewGit, ...targets.ms(60, GROUPS.fixed) }),
  ];
  if (CA_CERTS) rows.push(row({ id: `log-${many}-n10-ca`, label: `log -n 10, ${n(many)} checkpoints, with NODE_EXTRA_CA_CERTS (vs git log -n 10)`, a: r.tenManyCa, b: r.tenManyGit }));
  const yamlKb = Math.round(statSync(join(dMany, '04-agents', 'sessions', 'active', session, 'session.yaml')).size / 1024);
  return {
    key: 'log',
    title: `Log of a session of ${n(many)} checkpoints (${size})`,
    rows,
    extra: { chain_cached: chain.cached, chain_build_seconds: chain.seconds, session_yaml_kb: yamlKb },
    note: `The sessions are the flat case's (${size}); the session.yaml of ${n(many)} checkpoints is ${yamlKb} KB. `
      + `All calls in the same rounds, rotating order, median of ${runs}. The checkpoint in a long session is in the flat case.`,
  };
}
