import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { writeRawZip } from '../support/zip-fixtures.js';

/**
 * 04-agents/ folders as the original Python SpecMap wrote them: quoted strings, Windows paths in files_snapshot,
 * checkpoint files copied flat by base name into snapshots/<checkpoint>/, every session numbered 001, no git side.
 */
const ARCHIVED = '2025-10-25-session-001-authentication';
const ACTIVE = '2025-10-25-session-001-api-design';

function pythonYaml(id: string, focus: string, status: string, checkpoints: string): string {
  return `session:
  id: "${id}"
  date: "2025-10-25"
  start_time: "14:30:00"
  end_time: ${status === 'completed' ? '"18:45:00"' : 'null'}
  focus: "${focus}"
  agent: "claude"
  status: "${status}"

artifacts:
  created:
    - "src/auth.py"
  modified: []

checkpoints:
${checkpoints}
metrics:
  duration_minutes: ${status === 'completed' ? 255 : 0}
  files_created: 1
  files_modified: 0
  checkpoints: 2

rulemap_score: ${status === 'completed' ? 8.5 : 'null'}
`;
}

function pythonProject(): { repo: TestRepo; files: Record<string, string> } {
  const repo = makeRepo();
  const archivedYaml = pythonYaml(ARCHIVED, 'Authentication feature', 'completed', `  - id: "checkpoint-001-15-00-00"
    time: "15:00:00"
    description: "Auth logic implemented"
    files_snapshot:
      - "src\\\\auth.py"
      - "tests\\\\test_auth.py"
  - id: "checkpoint-002-16-30-00"
    time: "16:30:00"
    description: "Tests passing"
    files_snapshot:
      - "src\\\\index.py"
      - "lib\\\\index.py"
`);
  const activeYaml = pythonYaml(ACTIVE, 'API design', 'active', `  - id: "checkpoint-001-15-10-00"
    time: "15:10:00"
    description: "Draft API"
    files_snapshot:
      - "docs/API.md"
`);
  const arch = `04-agents/sessions/archive/${ARCHIVED}`;
  const act = `04-agents/sessions/active/${ACTIVE}`;
  const files: Record<string, string> = {
    [`${arch}/session.yaml`]: archivedYaml,
    [`${arch}/summary.md`]: '# Summary\n',
    [`${arch}/snapshots/checkpoint-001-15-00-00/auth.py`]: 'def login(): pass  # cp1\n',
    [`${arch}/snapshots/checkpoint-001-15-00-00/test_auth.py`]: 'def test_login(): pass\n',
    [`${arch}/snapshots/checkpoint-002-16-30-00/index.py`]: 'whose index is this?\n',
    [`${act}/session.yaml`]: activeYaml,
    [`${act}/snapshots/checkpoint-001-15-10-00/API.md`]: '# API draft\n',
  };
  for (const [rel, text] of Object.entries(files)) repo.write(rel, text);
  for (const d of ['artifacts', 'notes', 'decisions']) mkdirSync(join(repo.dir, arch, d), { recursive: true });
  return { repo, files };
}

function unchanged(repo: TestRepo, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) expect(readFileSync(join(repo.dir, rel), 'utf8')).toBe(text);
}

describe('sessions written by the Python SpecMap', () => {
  it('lists, shows and logs them without rewriting anything', async () => {
    const { repo, files } = pythonProject();
    const o = { cwd: repo.dir, env: repo.env };
    const all = JSON.parse((await ok(['list', '--all', '--json'], o)).stdout);
    expect(all.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([ACTIVE, ARCHIVED]);
    expect(all.problems).toEqual([]);
    const show = (await ok(['show', ARCHIVED], o)).stdout;
    expect(show).toContain('Git ref:    (none: this session has no git side)');
    expect(show).toContain('RULEMAP:    8.5/10');
    const log = (await ok(['log', ARCHIVED, '--oneline'], o)).stdout.trim().split('\n');
    expect(log).toEqual(['------- checkpoint-002-16-30-00 Tests passing', '------- checkpoint-001-15-00-00 Auth logic implemented']);
    expect((await ok(['log', ARCHIVED], o)).stdout).toContain('(no git commit: files kept as copies in snapshots/)');
    unchanged(repo, files);
  });

  it('restores their checkpoints from the flat copies, mapping Windows paths, never guessing between same-named files', async () => {
    const { repo, files } = pythonProject();
    const o = { cwd: repo.dir, env: repo.env };
    const cps = JSON.parse((await ok(['restore', '--list-checkpoints', ARCHIVED, '--json'], o)).stdout);
    expect(cps.checkpoints.map((c: { source: string }) => c.source)).toEqual(['copies', 'copies']);

    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', ARCHIVED, 'checkpoint-001', '--json'], o)).stdout);
    expect(r.source).toBe('copies');
    const dest = `04-agents/sessions/active/${ARCHIVED}-checkpoint-001-15-00-00-restored`;
    expect(readFileSync(join(repo.dir, dest, 'src/auth.py'), 'utf8')).toBe('def login(): pass  # cp1\n');
    expect(readFileSync(join(repo.dir, dest, 'tests/test_auth.py'), 'utf8')).toBe('def test_login(): pass\n');

    // src\index.py and lib\index.py were both copied as index.py: one overwrote the other. Report, don't guess.
    // Nothing is left to write, so it is not "restored" with exit 0.
    const ambiguous = await runCli(['restore', '--restore-checkpoint', ARCHIVED, 'checkpoint-002'], o);
    expect(ambiguous.code).toBe(8);
    expect(oneLineError(ambiguous)).toMatch(/nothing to restore .*src\/index\.py: src\/index\.py and lib\/index\.py were saved under the one name .*index\.py/);
    expect(existsSync(join(repo.dir, `04-agents/sessions/active/${ARCHIVED}-checkpoint-002-16-30-00-restored/src/index.py`))).toBe(false);
    unchanged(repo, files);
  });

  it('restores a Python session in place (safety checkpoint in the active session) and from its ZIP', async () => {
    const { repo, files } = pythonProject();
    const o = { cwd: repo.dir, env: repo.env };
    repo.write('docs/API.md', '# my newer API\n');
    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', ACTIVE, '~0', '--in-place', '--json'], o)).stdout);
    expect(readFileSync(join(repo.dir, 'docs/API.md'), 'utf8')).toBe('# API draft\n');
    expect(r.safety.session_id).toBe(ACTIVE);
    expect(repo.git('show', `${r.safety.commit}:docs/API.md`)).toBe('# my newer API');
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/sessions')).toBe(`refs/sessions/${ACTIVE}`);

    // A Python-made ZIP: the workspace with flat copies, no git anywhere.
    mkdirSync(join(repo.dir, '04-agents/backups/sessions'), { recursive: true });
    writeRawZip(join(repo.dir, `04-agents/backups/sessions/${ARCHIVED}-backup.zip`), [
      { name: 'session.yaml', data: files[`04-agents/sessions/archive/${ARCHIVED}/session.yaml`] },
      { name: 'snapshots/checkpoint-001-15-00-00/auth.py', data: 'from the zip\n' },
    ]);
    const restored = JSON.parse((await ok(['restore', '--restore-backup', ARCHIVED, '--json'], o)).stdout);
    expect(readFileSync(join(repo.dir, restored.destination, 'snapshots/checkpoint-001-15-00-00/auth.py'), 'utf8')).toBe('from the zip\n');
  });

  it('doctor --fix works on a Python project that never ran init, and changes no session.yaml', async () => {
    const { repo, files } = pythonProject();
    const o = { cwd: repo.dir, env: repo.env };
    const found = JSON.parse((await runCli(['doctor', '--json'], o)).stdout);
    expect(found.findings.map((f: { check: string }) => f.check)).toEqual(['missing-summary']);
    const fixed = await runCli(['doctor', '--fix', '--json'], o);
    expect(fixed.stderr).toBe('');
    expect(fixed.code).toBe(0);
    expect(readFileSync(join(repo.dir, '04-agents/session-summaries/2025-10-25.md'), 'utf8')).toContain(`## ${ARCHIVED}`);
    expect(readFileSync(join(repo.dir, 'TRACKING.md'), 'utf8')).toContain(`| ${ARCHIVED} |`);
    expect(JSON.parse((await ok(['doctor', '--json'], o)).stdout).findings).toEqual([]);
    unchanged(repo, files);
  });

  it('gets correct metrics the first time specmap rewrites a Python session.yaml', async () => {
    const { repo } = pythonProject();
    const o = { cwd: repo.dir, env: repo.env };
    // The Python file claims 2 checkpoints and 0 minutes; it has one checkpoint and started at 14:30.
    repo.write('docs/API.md', '# API\n');
    await ok(['track', ACTIVE, 'docs/API.md', 'created'], { ...o, now: '2025-10-25T15:15:00' });
    const yaml = readFileSync(join(repo.dir, `04-agents/sessions/active/${ACTIVE}/session.yaml`), 'utf8');
    expect(yaml).toContain('metrics:\n  duration_minutes: 45\n  files_created: 2\n  files_modified: 0\n  checkpoints: 1\n');
  });

  it('restores the session-relative paths of its default checkpoints into the session folder, not a new top-level one', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const act = `04-agents/sessions/active/${ACTIVE}`;
    repo.write(`${act}/session.yaml`, pythonYaml(ACTIVE, 'API design', 'active', `  - id: "checkpoint-001-15-10-00"
    time: "15:10:00"
    description: "Report drafted"
    files_snapshot:
      - "artifacts/report.md"
`));
    repo.write(`${act}/snapshots/checkpoint-001-15-10-00/report.md`, '# report as checkpointed\n');
    repo.write(`${act}/artifacts/report.md`, '# report, later edit\n');
    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', ACTIVE, '~0', '--in-place', '--json'], o)).stdout);
    expect(r.written).toEqual([`${act}/artifacts/report.md`]);
    expect(readFileSync(join(repo.dir, act, 'artifacts/report.md'), 'utf8')).toBe('# report as checkpointed\n');
    expect(existsSync(join(repo.dir, 'artifacts'))).toBe(false);
  });

  it('numbers new sessions after the Python ones, and a shared "001" prefix is ambiguous, not guessed', async () => {
    const { repo } = pythonProject();
    const o = { cwd: repo.dir, env: repo.env };
    const r = JSON.parse((await ok(['start', 'new work', '--json'], { ...o, now: '2025-10-25T19:00:00' })).stdout);
    expect(r.session_id).toBe('2025-10-25-session-002-new-work');
    const amb = await runCli(['show', '2025-10-25-session-001'], o);
    expect(amb.code).toBe(4);
    expect(oneLineError(amb)).toMatch(/ambiguous.*2025-10-25-session-001-api-design, 2025-10-25-session-001-authentication/);
  });
});
