import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { listZip } from '../../src/storage/zip/reader.js';
import { readZipEntry } from '../support/zip-read.js';

const START = '2025-10-25T14:30:00';
const END = '2025-10-25T18:45:00';
const ID = '2025-10-25-session-001-authentication';

async function session() {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'authentication', 'claude'], { ...o, now: START });
  const ws = join(repo.dir, '04-agents/sessions/active', ID);
  writeFileSync(join(ws, 'notes', 'scratch.md'), 'try JWT\n');
  writeFileSync(join(ws, 'decisions', '001-tokens.md'), '# Use opaque tokens\n');
  writeFileSync(join(ws, 'artifacts', 'report.bin'), Buffer.from([0, 1, 2, 255]));
  for (const f of ['src/auth.py', 'src/auth_utils.py', 'tests/test_auth.py', 'src/main.py', 'docs/API.md']) repo.write(f, `${f}\n`);
  for (const f of ['src/auth.py', 'src/auth_utils.py', 'tests/test_auth.py']) await ok(['track', ID, f, 'created'], o);
  for (const f of ['src/main.py', 'docs/API.md']) await ok(['track', ID, f, 'modified'], o);
  return { repo, o, ws };
}

describe('specmap end', () => {
  it('finalises metadata, archives the folder, writes the ZIP, the day summary and TRACKING.md', async () => {
    const { repo, o, ws } = await session();
    const r = await ok(['end', '2025-10-25-session-001', '8.5'], { ...o, now: END });
    expect(r.stdout).toContain(`✅ Session completed: ${ID}`);
    expect(r.stdout).toContain('📊 Duration: 255 minutes');
    expect(r.stdout).toContain('📁 Files created: 3');
    expect(r.stdout).toContain('📝 Files modified: 2');
    expect(r.stdout).toContain('💾 Checkpoints: 0');
    expect(r.stdout).toContain('🎯 RULEMAP Score: 8.5/10');
    expect(r.stdout).toContain(`📦 Backup: 04-agents/backups/sessions/${ID}-backup.zip`);

    const archived = join(repo.dir, '04-agents/sessions/archive', ID);
    expect(existsSync(ws)).toBe(false);
    const yaml = parse(readFileSync(join(archived, 'session.yaml'), 'utf8'));
    expect(yaml.session).toMatchObject({ end_time: '18:45:00', status: 'completed', start_time: '14:30:00' });
    expect(yaml.session.end_date).toBeUndefined();
    expect(yaml.metrics).toEqual({ duration_minutes: 255, files_created: 3, files_modified: 2, checkpoints: 0 });
    expect(yaml.rulemap_score).toBe(8.5);

    const zip = join(repo.dir, `04-agents/backups/sessions/${ID}-backup.zip`);
    const names = (await listZip(zip)).filter((e) => !e.isDirectory).map((e) => e.name).sort();
    expect(names).toEqual(['README.md', 'artifacts/report.bin', 'decisions/001-tokens.md', 'notes/scratch.md', 'session.yaml', 'summary.md']);
    expect(await readZipEntry(zip, 'artifacts/report.bin')).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(parse((await readZipEntry(zip, 'session.yaml')).toString('utf8'))).toEqual(yaml);
    // An independent reader agrees the archive is sound.
    expect(execFileSync('unzip', ['-tq', zip], { encoding: 'utf8' })).toMatch(/No errors detected/);

    const summary = readFileSync(join(repo.dir, '04-agents/session-summaries/2025-10-25.md'), 'utf8');
    expect(summary).toContain(`## ${ID}`);
    expect(summary).toContain('- Time: 14:30:00 – 18:45:00 (255 minutes)');
    expect(summary).toContain('- RULEMAP score: 8.5/10');
    const tracking = readFileSync(join(repo.dir, 'TRACKING.md'), 'utf8');
    expect(tracking).toContain(`| ${ID} | 2025-10-25 | authentication | claude | 255 | 3 | 2 | 0 | 8.5/10 |`);
    // The ZIP is git-ignored: it never shows up as something to commit.
    expect(repo.git('status', '--porcelain', '--', '04-agents/backups')).toBe('');
    expect(repo.git('check-ignore', `04-agents/backups/sessions/${ID}-backup.zip`)).toContain('backup.zip');
  });

  it('keeps what the user wrote in TRACKING.md and the summary file, adding one row per session', async () => {
    const { repo, o } = await session();
    writeFileSync(join(repo.dir, 'TRACKING.md'), '# Project tracking\n\nHand-written notes | keep me.\n');
    await ok(['end', ID], { ...o, now: END });
    await ok(['start', 'second | piped', 'claude'], { ...o, now: '2025-10-25T19:00:00' });
    await ok(['end', '@', '10', '--no-backup'], { ...o, now: '2025-10-25T19:30:00' });
    const tracking = readFileSync(join(repo.dir, 'TRACKING.md'), 'utf8');
    expect(tracking.startsWith('# Project tracking\n\nHand-written notes | keep me.\n')).toBe(true);
    expect(tracking.match(/^\| 2025-10-25-session-/gm)).toHaveLength(2);
    expect(tracking).toContain('| 2025-10-25-session-002-second-piped | 2025-10-25 | second \\| piped | claude | 30 | 0 | 0 | 0 | 10/10 |');
    expect(tracking).toContain(`| ${ID} | 2025-10-25 | authentication | claude | 255 | 3 | 2 | 0 | — |`);
    const summary = readFileSync(join(repo.dir, '04-agents/session-summaries/2025-10-25.md'), 'utf8');
    expect(summary.match(/^## 2025-10-25-session-/gm)).toHaveLength(2);
    expect(existsSync(join(repo.dir, '04-agents/backups/sessions/2025-10-25-session-002-second-piped-backup.zip'))).toBe(false);
  });

  it('records end_date for a session that crosses midnight', async () => {
    const { repo, o } = await session();
    await ok(['end', ID, '--no-backup'], { ...o, now: '2025-10-26T01:15:00' });
    const yaml = parse(readFileSync(join(repo.dir, '04-agents/sessions/archive', ID, 'session.yaml'), 'utf8'));
    expect(yaml.session.end_date).toBe('2025-10-26');
    expect(yaml.metrics.duration_minutes).toBe(645);
  });

  it.each(['11', '-1', 'NaN', '1e309', 'ten'])('refuses score %s and changes nothing', async (score) => {
    const { repo, o, ws } = await session();
    const before = readFileSync(join(ws, 'session.yaml'), 'utf8');
    const r = await runCli(['end', ID, '--', score], { ...o, now: END });
    expect(r.code).toBe(5);
    expect(oneLineError(r)).toMatch(/RULEMAP score must be a number from 0 to 10/);
    expect(readFileSync(join(ws, 'session.yaml'), 'utf8')).toBe(before);
    expect(existsSync(join(repo.dir, '04-agents/backups/sessions', `${ID}-backup.zip`))).toBe(false);
    expect(existsSync(join(repo.dir, 'TRACKING.md'))).toBe(false);
  });

  it('refuses to end a session twice', async () => {
    const { o } = await session();
    await ok(['end', ID], { ...o, now: END });
    const again = await runCli(['end', ID], { ...o, now: END });
    expect(again.code).toBe(7);
    expect(oneLineError(again)).toMatch(/already completed/);
  });

  it('leaves the session active and writes no ZIP when its session.yaml is broken', async () => {
    const { repo, o, ws } = await session();
    writeFileSync(join(ws, 'session.yaml'), 'session:\n  id: [broken\n');
    const r = await runCli(['end', ID, '5'], { ...o, now: END });
    expect(r.code).toBe(6);
    expect(oneLineError(r)).toMatch(new RegExp(`04-agents/sessions/active/${ID}/session.yaml:\\d+: invalid YAML`));
    expect(existsSync(ws)).toBe(true);
    expect(existsSync(join(repo.dir, '04-agents/backups/sessions', `${ID}-backup.zip`))).toBe(false);
  });
});
