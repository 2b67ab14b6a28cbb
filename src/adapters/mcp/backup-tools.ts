import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { dailyBackup } from '../../domain/backup/create.js';
import { listAllBackups } from '../../domain/backup/catalog.js';
import { verifyBackups } from '../../domain/backup/verify.js';
import { addTool, projectDir, projectPath, type ServerContext } from './tool.js';

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export function registerBackupTools(server: McpServer, ctx: ServerContext): void {
  addTool(server, ctx, 'create_daily_backup', {
    title: 'Daily project backup',
    description:
      "Back up the project's specification folders (00-governance/, 01-specifications/, ..., 04-agents/ without " +
      'backups/) as a ZIP with a manifest under 04-agents/backups/daily/<date>/, and as a git commit on ' +
      "refs/backups/daily/<date>. A second call on the same day replaces that day's backup.",
    input: { project_path: projectPath },
    output: {
      kind: z.literal('daily'),
      name: z.string().describe('The date, YYYY-MM-DD.'),
      zip: z.string(),
      manifest: z.string().describe('The JSON manifest: every file with its size and SHA-256.'),
      items: z.array(z.string()).describe('The top-level folders and files backed up.'),
      files: z.number(),
      bytes: z.number(),
      commit: z.string(),
      ref: z.string(),
      updated: z.boolean().describe("True when an earlier backup of the same day was replaced."),
    },
    run: async (a) => {
      const r = await dailyBackup({ cwd: projectDir(ctx, a.project_path) });
      return {
        text: `Daily backup ${r.name}${r.updated ? ' (replaced the earlier one)' : ''}: ${r.files} files, ${kib(r.bytes)}\nZIP: ${r.zip}\nManifest: ${r.manifest}\nGit: ${r.ref} -> ${r.commit.slice(0, 12)}`,
        data: { kind: 'daily' as const, name: r.name, zip: r.zip, manifest: r.manifest, items: r.items, files: r.files, bytes: r.bytes, commit: r.commit, ref: r.ref, updated: r.updated },
      };
    },
  });

  addTool(server, ctx, 'backup_list', {
    title: 'List backups',
    description: 'Every backup of the project: session ZIPs, daily and milestone backups, with where each one is kept (ZIP and git copy).',
    input: { project_path: projectPath },
    output: {
      backups: z.array(z.object({
        kind: z.enum(['session', 'daily', 'milestone']),
        name: z.string().describe('Session id, date or milestone name.'),
        format: z.enum(['zip', 'folder']).describe("'folder': plain folder copies written by the Python SpecMap (daily only)."),
        zip: z.string().describe('The ZIP, or the folder (with a trailing slash) of a folder backup.'),
        zip_exists: z.boolean(),
        manifest: z.string().nullable(),
        ref: z.string().nullable().describe('The git copy, for daily and milestone backups.'),
        ref_exists: z.boolean(),
        bytes: z.number(),
        files: z.number().nullable(),
        written: z.string().nullable(),
      })),
    },
    annotations: { readOnlyHint: true },
    run: async (a) => {
      const list = await listAllBackups({ cwd: projectDir(ctx, a.project_path) });
      const text = list.length === 0
        ? 'No backups yet.'
        : [`${list.length} backup(s):`, ...list.map((b) => `- ${b.kind} ${b.name}: ${b.zipExists ? `${b.zip} (${kib(b.bytes)})` : 'ZIP missing'}${b.ref ? `, git ${b.refExists ? b.ref : 'copy missing'}` : ''}`)].join('\n');
      return {
        text,
        data: {
          backups: list.map((b) => ({
            kind: b.kind, name: b.name, format: b.format, zip: b.zip, zip_exists: b.zipExists, manifest: b.manifest ?? null, ref: b.ref ?? null,
            ref_exists: b.refExists, bytes: b.bytes, files: b.files ?? null, written: b.written ?? null,
          })),
        },
      };
    },
  });

  addTool(server, ctx, 'backup_verify', {
    title: 'Verify backups',
    description:
      'Check that backups can be restored: every ZIP entry is read back and its CRC and SHA-256 compared with the ' +
      'manifest. ok is false when any backup is damaged; the problems say which file and why.',
    input: {
      project_path: projectPath,
      backup: z.string().min(1).max(200).optional().describe('One backup: a session id, date or milestone name (or a unique prefix). Omitted: all.'),
    },
    output: {
      ok: z.boolean(),
      results: z.array(z.object({
        kind: z.enum(['session', 'daily', 'milestone']),
        name: z.string(),
        zip: z.string(),
        ok: z.boolean(),
        files: z.number(),
        archive: z.enum(['match', 'mismatch', 'not-recorded', 'none']).describe('The whole ZIP against the SHA-256 recorded when it was written.'),
        problems: z.array(z.object({ path: z.string(), problem: z.string() })),
        notes: z.array(z.string()).describe('What could not be checked; not failures.'),
      })),
    },
    annotations: { readOnlyHint: true },
    run: async (a) => {
      const results = await verifyBackups({ cwd: projectDir(ctx, a.project_path), target: a.backup });
      const ok = results.every((r) => r.ok);
      const lines = results.length === 0 ? ['No backups to verify.'] : [];
      for (const r of results) {
        lines.push(`${r.ok ? 'OK' : 'DAMAGED'} ${r.kind} ${r.name}: ${r.ok ? `${r.files} files intact` : `${r.problems.length} problem(s)`}`);
        for (const p of r.problems) lines.push(`  ${p.path ? `${p.path}: ` : ''}${p.problem}`);
        for (const n of r.notes) lines.push(`  note: ${n}`);
      }
      return { text: lines.join('\n'), data: { ok, results } };
    },
  });
}
