import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { checkpointResult } from '../../src/api/contract/checkpoint.js';
import { dailyBackupResult } from '../../src/api/contract/daily-backup.js';
import { diffResult } from '../../src/api/contract/diff.js';
import { doctorResult } from '../../src/api/contract/doctor.js';
import { endResult } from '../../src/api/contract/end.js';
import { hooksStatusResult } from '../../src/api/contract/hooks-status.js';
import { initResult } from '../../src/api/contract/init.js';
import { listBackupsResult } from '../../src/api/contract/list-backups.js';
import { listCheckpointsResult } from '../../src/api/contract/list-checkpoints.js';
import { listSessionsResult } from '../../src/api/contract/list-sessions.js';
import { listTemplatesResult } from '../../src/api/contract/list-templates.js';
import { logResult } from '../../src/api/contract/log.js';
import { milestoneBackupResult } from '../../src/api/contract/milestone-backup.js';
import { reportResult } from '../../src/api/contract/report.js';
import { restoreBackupResult } from '../../src/api/contract/restore-backup.js';
import { restoreCheckpointResult } from '../../src/api/contract/restore-checkpoint.js';
import { showCheckpointResult } from '../../src/api/contract/show-checkpoint.js';
import { showSessionResult } from '../../src/api/contract/show-session.js';
import { startResult } from '../../src/api/contract/start.js';
import { trackResult } from '../../src/api/contract/track.js';
import { verifyBackupsResult } from '../../src/api/contract/verify-backups.js';
import { ok } from '../support/cli.js';
import { makeRepo } from '../support/repo.js';

/** Fails with the command and zod's account when `--json` output is not exactly the contract (no key more or less). */
function expectContract(schema: z.ZodObject, args: string[], stdout: string): Record<string, unknown> {
  const value = JSON.parse(stdout) as unknown;
  expect(Array.isArray(value), `${args.join(' ')} printed a bare array`).toBe(false);
  const parsed = schema.strict().safeParse(value);
  expect(parsed.success ? '' : `specmap ${args.join(' ')} --json: ${parsed.error.message}`).toBe('');
  return value as Record<string, unknown>;
}

describe('--json prints the api contract (src/api/contract, docs/schemas)', () => {
  it('every command of a whole session, backups and health checks, each an object of exactly the contract fields', async () => {
    const repo = makeRepo();
    repo.write('01-specifications/auth.md', '# Auth\n');
    repo.commitAll('spec');
    const o = { cwd: repo.dir, env: repo.env, now: '2025-10-25T14:30:00' };
    const json = async (schema: z.ZodObject, ...args: string[]) => expectContract(schema, args, (await ok([...args, '--json'], o)).stdout);

    await json(initResult, 'init');
    const s = await json(startResult, 'start', 'contract check');
    const id = s.session_id as string;
    writeFileSync(join(repo.dir, 'a.md'), 'one\n');
    await json(trackResult, 'track', '@', 'a.md', 'created');
    const c1 = await json(checkpointResult, 'checkpoint', '@', 'first');
    writeFileSync(join(repo.dir, 'a.md'), 'two\n');
    await json(checkpointResult, 'checkpoint', '@', 'second');
    await json(logResult, 'log', '@');
    await json(showSessionResult, 'show', '@');
    await json(showCheckpointResult, 'show', `@:${c1.checkpoint_id as string}`);
    await json(diffResult, 'diff', '@:~1', '@:~0');
    await json(listSessionsResult, 'list', '--all');
    await json(listCheckpointsResult, 'restore', '--list-checkpoints', id);
    await json(restoreCheckpointResult, 'restore', '--restore-checkpoint', id, c1.checkpoint_id as string);
    await json(listTemplatesResult, 'template', 'list');
    await json(hooksStatusResult, 'hooks', 'status');
    await json(endResult, 'end', id, '8');
    await json(listBackupsResult, 'backup', 'list');
    await json(restoreBackupResult, 'restore', '--restore-backup', id);
    await json(dailyBackupResult, 'backup', 'daily');
    await json(milestoneBackupResult, 'backup', 'milestone', 'v1');
    await json(verifyBackupsResult, 'backup', 'verify');
    await json(doctorResult, 'doctor');
    await json(reportResult, 'report');
  });
});
