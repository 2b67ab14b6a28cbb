import { offsiteList, type OffsiteListResult } from '../../../api/offsite-list.js';
import { offsitePull, type OffsitePullResult } from '../../../api/offsite-pull.js';
import { offsitePush, type OffsitePushResult } from '../../../api/offsite-push.js';
import { offsiteVerify, type OffsiteVerifyResult } from '../../../api/offsite-verify.js';
import { EXIT_CODES } from '../../../shared/errors.js';
import { withProgress, type CommandContext } from '../output.js';
import { table } from '../table.js';
import { count, humanBytes as kib } from '../units.js';

export function renderPush(r: OffsitePushResult): string {
  const up = r.backups.filter((b) => b.action === 'uploaded');
  const there = r.backups.filter((b) => b.action === 'already-there');
  const lines = [`☁️  Off-site ${r.remote}: ${up.length} sent, ${there.length} already there`];
  for (const b of up) lines.push(`   ⬆️  ${b.kind} ${b.name} (${kib(b.bytes)})`);
  for (const b of r.backups.filter((x) => x.action === 'skipped')) lines.push(`   ⏭  ${b.kind} ${b.name}: ${b.reason}`);
  if (r.replaced_dir) lines.push(`   ↪️  ${count(r.replaced.length, 'replaced file')} kept on the remote in ${r.replaced_dir}/`);
  lines.push(r.check.problems.length === 0
    ? `✅ rclone check: ${count(r.check.files, 'file')} match${r.check.files === 1 ? 'es' : ''}${r.check.sizes_only ? ' (sizes only: this remote keeps no SHA-256; run offsite verify to hash)' : ''}`
    : `❌ rclone check: ${count(r.check.problems.length, 'problem')}`);
  for (const p of r.check.problems) lines.push(`   ${p.path}: ${p.problem}`);
  for (const n of r.notes) lines.push(`   ℹ️  ${n}`);
  return lines.join('\n');
}

export function renderPull(r: OffsitePullResult): string {
  const got = r.backups.filter((b) => b.action === 'fetched');
  const lines = [`☁️  From ${r.remote}: ${got.length} fetched, ${r.backups.filter((b) => b.action === 'present').length} already here`];
  for (const b of got) lines.push(`   ⬇️  ${b.kind} ${b.name}: ${b.files.join(', ')}${b.reason ? ` (${b.reason})` : ''}`);
  for (const b of r.backups.filter((x) => x.action === 'skipped')) lines.push(`   ❌ ${b.kind} ${b.name}: ${b.reason}`);
  return lines.join('\n');
}

export function renderOffsiteList(r: OffsiteListResult): string {
  if (r.backups.length === 0) return `No backups here or on ${r.remote}.`;
  return table(
    ['KIND', 'NAME', 'HERE', 'REMOTE', 'SAME', 'REMOTE SIZE'],
    r.backups.map((b) => [b.kind, b.name, b.local, b.remote, b.same === null ? '-' : b.same ? 'yes' : 'NO', b.remote_bytes === null ? '-' : kib(b.remote_bytes)]),
  );
}

export function renderOffsiteVerify(r: OffsiteVerifyResult): string {
  if (r.results.length === 0) return `No backups here or on ${r.remote}.`;
  const lines: string[] = [];
  for (const x of r.results) {
    lines.push(`${x.ok ? '✅' : '❌'} ${x.kind} ${x.name}: remote ${x.remote}, here ${x.local}`);
    for (const p of x.problems) lines.push(`   ${p.path ? `${p.path}: ` : ''}${p.problem}`);
  }
  for (const n of r.notes) lines.push(`   ℹ️  ${n}`);
  return lines.join('\n');
}

/** The report above is the result (also under --json); the exit status and one stderr line say it failed. */
function failed(ok: boolean, what: string): void {
  if (ok) return;
  process.stderr.write(`specmap: ${what}\n`);
  process.exitCode = EXIT_CODES.CORRUPT_DATA;
}

/** `specmap backup offsite push [<remote>] [--rehash]`. */
export async function runPush(ctx: CommandContext, remote: string | undefined, flags: { rehash?: boolean }): Promise<void> {
  const r = await withProgress(ctx, 'upload', () => offsitePush({ cwd: ctx.cwd, remote, rehash: flags.rehash }));
  ctx.out.result(r, renderPush);
  const damaged = r.backups.filter((b) => b.action === 'skipped' && b.reason?.includes('does not match')).length;
  failed(r.ok, `the off-site push is incomplete: ${count(r.check.problems.length, 'file')} failed rclone check, ${count(damaged, 'damaged backup')} not sent`);
}

/** `specmap backup offsite pull [<remote>]`. */
export async function runPull(ctx: CommandContext, remote: string | undefined): Promise<void> {
  const r = await withProgress(ctx, 'download', () => offsitePull({ cwd: ctx.cwd, remote }));
  ctx.out.result(r, renderPull);
  failed(r.ok, `${count(r.backups.filter((b) => b.action === 'skipped').length, 'off-site backup')} could not be fetched`);
}

/** `specmap backup offsite list [<remote>]`. */
export async function runList(ctx: CommandContext, remote: string | undefined): Promise<void> {
  ctx.out.result(await withProgress(ctx, 'check', () => offsiteList({ cwd: ctx.cwd, remote })), renderOffsiteList);
}

/** `specmap backup offsite verify [<remote>]`. */
export async function runVerify(ctx: CommandContext, remote: string | undefined): Promise<void> {
  const r = await withProgress(ctx, 'verify', () => offsiteVerify({ cwd: ctx.cwd, remote }));
  ctx.out.result(r, renderOffsiteVerify);
  failed(r.ok, `${count(r.results.filter((x) => !x.ok).length, 'backup')} failed off-site verification`);
}
