import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, scratch } from '../support/repo.js';
import { call, connect, errorText, okCall } from '../support/mcp.js';

const SPEC_TOOLS: Record<string, string[]> = {
  session_start: ['project_path', 'focus', 'agent', 'metadata'],
  session_checkpoint: ['project_path', 'session_id', 'description', 'files_to_snapshot'],
  session_track_artifact: ['project_path', 'session_id', 'file_path', 'action'],
  session_end: ['project_path', 'session_id', 'rulemap_score', 'create_backup'],
  session_list_active: ['project_path'],
  create_daily_backup: ['project_path'],
};
const EXTRA_TOOLS = [
  'session_show', 'session_log', 'session_diff', 'session_restore_checkpoint', 'session_fork', 'session_compare', 'backup_list', 'backup_verify',
  'backup_offsite_push', 'backup_offsite_pull', 'backup_offsite_list', 'backup_offsite_verify', 'disk_usage', 'gc', 'attribution_blame', 'attribution_stats', 'create_milestone_backup', 'project_doctor',
];
/** What each tool says of itself: read-only, or writing and whether it may destroy (the MCP default, unannotated: it may). */
const READ_ONLY = [
  'session_list_active', 'session_show', 'session_log', 'session_diff', 'session_compare', 'backup_list', 'backup_verify', 'backup_offsite_list',
  'backup_offsite_verify', 'disk_usage', 'attribution_blame', 'attribution_stats', 'project_doctor',
];
const DESTRUCTIVE = ['session_restore_checkpoint', 'gc'];
const ADDITIVE = ['session_fork', 'backup_offsite_push', 'backup_offsite_pull', 'create_milestone_backup'];

describe('specmap mcp', () => {
  it('lists the spec tools with their parameter names, and the extra ones, each with input and output schemas', async () => {
    const repo = makeRepo();
    const { client } = await connect(repo.dir, repo.env);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...Object.keys(SPEC_TOOLS), ...EXTRA_TOOLS].sort());
    for (const t of tools) {
      expect(t.description!.length, t.name).toBeGreaterThan(60);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
      expect(Object.keys(t.inputSchema.properties ?? {}), t.name).toContain('project_path');
      // project_path defaults to the server's folder, so it is never required.
      expect(t.inputSchema.required ?? [], t.name).not.toContain('project_path');
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const [name, params] of Object.entries(SPEC_TOOLS)) {
      expect(Object.keys(byName.get(name)!.inputSchema.properties ?? {}), name).toEqual(expect.arrayContaining(params));
    }
    const props = (name: string) => byName.get(name)!.inputSchema.properties as Record<string, any>;
    expect(props('session_track_artifact').action.enum).toEqual(['created', 'modified']);
    expect(props('session_end').rulemap_score).toMatchObject({ type: 'number', minimum: 0, maximum: 10 });
    expect(props('session_end').create_backup).toMatchObject({ type: 'boolean', default: true });
    expect(props('session_start').agent).toMatchObject({ default: 'claude' });
    expect(byName.get('session_start')!.inputSchema.required).toEqual(['focus']);
    expect(byName.get('session_checkpoint')!.inputSchema.required?.sort()).toEqual(['description', 'session_id']);
    for (const name of READ_ONLY) expect(byName.get(name)!.annotations?.readOnlyHint, name).toBe(true);
    for (const name of DESTRUCTIVE) expect(byName.get(name)!.annotations, name).toMatchObject({ destructiveHint: true });
    for (const name of ADDITIVE) expect(byName.get(name)!.annotations, name).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    for (const name of [...DESTRUCTIVE, ...ADDITIVE]) expect(byName.get(name)!.annotations?.readOnlyHint, name).not.toBe(true);
    // The off-site tools reach outside the machine; they take no remote (only the configured one), compare no command.
    for (const name of EXTRA_TOOLS.filter((n) => n.startsWith('backup_offsite_'))) {
      expect(byName.get(name)!.annotations?.openWorldHint, name).toBe(true);
      expect(Object.keys(props(name)), name).not.toContain('remote');
    }
    expect(Object.keys(props('session_compare'))).toEqual(['project_path', 'session_ids', 'patch']);
    expect(props('gc').dry_run).toMatchObject({ type: 'boolean' });
    expect(byName.get('session_fork')!.inputSchema.required).toEqual(['session_id']);

    // The README's tool table names exactly these tools.
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## MCP server'), readme.indexOf('\n## ', readme.indexOf('## MCP server') + 1));
    expect([...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]).sort()).toEqual(tools.map((t) => t.name).sort());
  });

  it('runs a whole session: start, track, checkpoint, log, show, diff, restore, end, list, backups', async () => {
    const repo = makeRepo();
    // The server runs elsewhere; the client declares the project as one of its roots.
    const { client, stderr, protocolErrors } = await connect(scratch(), repo.env, [repo.dir]);
    const project_path = repo.dir;

    const started = await okCall(client, 'session_start', { project_path, focus: 'authentication feature', metadata: { ticket: 'AUTH-12', priority: 2 } });
    const id: string = started.session_id;
    expect(id).toMatch(/^\d{4}-\d{2}-\d{2}-session-001-authentication-feature$/);
    expect(started.agent).toBe('claude');
    expect(started.paths.notes).toBe(`${started.workspace}notes/`);
    expect(existsSync(join(repo.dir, started.paths.session_file))).toBe(true);
    expect(repo.git('rev-parse', `refs/sessions/${id}`)).toBe(started.base_commit);
    const yaml = () => parse(readFileSync(join(repo.dir, '04-agents/sessions', existsSync(join(repo.dir, started.workspace)) ? 'active' : 'archive', `${id}/session.yaml`), 'utf8'));
    expect(yaml().metadata).toEqual({ ticket: 'AUTH-12', priority: '2' });

    repo.write('src/auth.py', 'def login():\n    return True\n');
    const tracked = await okCall(client, 'session_track_artifact', { project_path, session_id: id, file_path: 'src/auth.py', action: 'created' });
    expect(tracked).toEqual({ session_id: id, file_path: 'src/auth.py', action: 'created', listed_as: 'created', changed: true });
    expect(yaml().artifacts.created).toEqual(['src/auth.py']);

    const cp1 = await okCall(client, 'session_checkpoint', { project_path, session_id: id, description: 'Auth logic implemented', files_to_snapshot: ['src/auth.py'] });
    expect(cp1.checkpoint_id).toMatch(/^checkpoint-001/);
    expect(cp1.files).toEqual([{ path: 'src/auth.py', status: 'added' }]);
    expect(repo.git('show', `${cp1.commit}:src/auth.py`)).toBe('def login():\n    return True');
    expect(repo.git('tag', '-l', 'checkpoints/*')).toContain(`checkpoints/${id}/${cp1.checkpoint_id}`);

    repo.write('src/auth.py', 'def login():\n    return False\n');
    const cp2 = await okCall(client, 'session_checkpoint', { project_path, session_id: id, description: 'Tightened login' });
    // Without files_to_snapshot: every change since the previous checkpoint, the session's own folder included.
    expect(cp2.files).toContainEqual({ path: 'src/auth.py', status: 'modified' });
    expect(repo.git('rev-parse', `refs/sessions/${id}`)).toBe(cp2.commit);

    const log = await okCall(client, 'session_log', { project_path, session_id: id });
    expect(log.checkpoints.map((c: any) => c.checkpoint_id)).toEqual([cp2.checkpoint_id, cp1.checkpoint_id]);
    expect(log.checkpoints[0]).toMatchObject({ commit: cp2.commit, in_git: true, source: 'git', files: expect.arrayContaining(['src/auth.py']) });

    const shown = await okCall(client, 'session_show', { project_path, session_id: id });
    expect(shown.checkpoints.map((c: any) => c.commit)).toEqual([cp1.commit, cp2.commit]);
    expect(shown.document.session.focus).toBe('authentication feature');

    const diff = await okCall(client, 'session_diff', { project_path, session_id: id, from: cp1.checkpoint_id, to: cp2.checkpoint_id });
    expect(diff.diff).toContain('-    return True');
    expect(diff.diff).toContain('+    return False');
    expect(diff.to).toMatchObject({ commit: cp2.commit });
    repo.write('src/auth.py', 'def login():\n    return None\n');
    const sinceNewest = await okCall(client, 'session_diff', { project_path, session_id: id });
    expect(sinceNewest.to).toBeNull();
    expect(sinceNewest.diff).toContain('+    return None');

    const restored = await okCall(client, 'session_restore_checkpoint', { project_path, session_id: id, checkpoint_id: cp1.checkpoint_id });
    expect(restored.source).toBe('git');
    expect(restored.destination).not.toBe('.');
    expect(readFileSync(join(repo.dir, restored.destination, 'src/auth.py'), 'utf8')).toBe('def login():\n    return True\n');
    // Not in place: the working file is untouched.
    expect(readFileSync(join(repo.dir, 'src/auth.py'), 'utf8')).toBe('def login():\n    return None\n');

    const ended = await okCall(client, 'session_end', { project_path, session_id: id, rulemap_score: 8.5 });
    expect(ended).toMatchObject({ session_id: id, rulemap_score: 8.5, checkpoints: 2, files_created: 1 });
    expect(existsSync(join(repo.dir, ended.backup.path))).toBe(true);
    expect(existsSync(join(repo.dir, ended.archive, 'session.yaml'))).toBe(true);
    expect(yaml().session.status).toBe('completed');

    expect((await okCall(client, 'session_list_active', { project_path })).sessions).toEqual([]);
    const all = await okCall(client, 'session_list_active', { project_path, include_archived: true });
    expect(all.sessions).toHaveLength(1);
    expect(all.sessions[0]).toMatchObject({ session_id: id, state: 'archive', checkpoints: 2, rulemap_score: 8.5 });

    repo.write('01-specifications/auth.md', '# Auth\n');
    const daily = await okCall(client, 'create_daily_backup', { project_path });
    expect(daily.items).toContain('01-specifications');
    expect(existsSync(join(repo.dir, daily.zip))).toBe(true);
    expect(JSON.parse(readFileSync(join(repo.dir, daily.manifest), 'utf8')).files.map((f: any) => f.path)).toContain('01-specifications/auth.md');
    expect(repo.git('rev-parse', daily.ref)).toBe(daily.commit);

    const backups = await okCall(client, 'backup_list', { project_path });
    expect(backups.backups.map((b: any) => `${b.kind}:${b.name}`).sort()).toEqual([`daily:${daily.name}`, `session:${id}`]);
    const verified = await okCall(client, 'backup_verify', { project_path });
    expect(verified.ok).toBe(true);
    expect(verified.results).toHaveLength(2);

    expect(protocolErrors).toEqual([]);
    expect(stderr()).toBe('');
  });

  it('works in its own folder when project_path is left out, and reports a damaged backup without failing the call', async () => {
    const repo = makeRepo();
    const { client } = await connect(repo.dir, repo.env);
    const s = await okCall(client, 'session_start', { focus: 'defaults' });
    const ended = await okCall(client, 'session_end', { session_id: s.session_id });
    expect(ended.rulemap_score).toBeNull();
    const zip = join(repo.dir, ended.backup.path);
    const bytes = readFileSync(zip);
    bytes[Math.floor(bytes.length / 3)] ^= 0xff;
    writeFileSync(zip, bytes);
    const r = await call(client, 'backup_verify', {});
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as any).ok).toBe(false);
    expect((r.content[0] as any).text).toMatch(/^DAMAGED session /);
  });

  it('remembers where the repository is between calls, and asks again once it is gone', async () => {
    const repo = makeRepo();
    const { client } = await connect(repo.dir, repo.env);
    expect((await okCall(client, 'session_list_active', {})).sessions).toEqual([]);
    const { renameSync } = await import('node:fs');
    renameSync(join(repo.dir, '.git'), join(repo.dir, '..', 'moved.git'));
    // A remembered repository whose git dir went away is not used: git is asked, and there is none now.
    expect(errorText(await call(client, 'session_list_active', {}))).toMatch(/not a git repository/);
    renameSync(join(repo.dir, '..', 'moved.git'), join(repo.dir, '.git'));
    expect((await okCall(client, 'session_list_active', {})).sessions).toEqual([]);
  });

  it('serialises parallel calls on one project: every artifact and checkpoint lands', async () => {
    const repo = makeRepo();
    const { client } = await connect(repo.dir, repo.env);
    const { session_id } = await okCall(client, 'session_start', { focus: 'parallel' });
    for (let i = 0; i < 8; i++) repo.write(`src/f${i}.txt`, `file ${i}\n`);
    const results = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => okCall(client, 'session_track_artifact', { session_id, file_path: `src/f${i}.txt`, action: 'created' })),
      ...Array.from({ length: 4 }, (_, i) => okCall(client, 'session_checkpoint', { session_id, description: `parallel ${i}`, files_to_snapshot: [`src/f${i}.txt`] })),
      okCall(client, 'session_list_active', {}),
    ]);
    const checkpoints = results.slice(8, 12);
    expect(new Set(checkpoints.map((c) => c.checkpoint_id)).size).toBe(4);
    const doc = parse(readFileSync(join(repo.dir, '04-agents/sessions/active', session_id, 'session.yaml'), 'utf8'));
    expect([...doc.artifacts.created].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `src/f${i}.txt`));
    expect(doc.checkpoints).toHaveLength(4);
    // The ref's history is one chain holding every checkpoint: no update was lost to a race.
    const chain = repo.git('rev-list', `refs/sessions/${session_id}`).split('\n');
    for (const c of checkpoints) expect(chain).toContain(c.commit);
  });

  it('answers bad input with one-sentence tool errors, writes nothing, and keeps serving', async () => {
    const repo = makeRepo();
    const { client, protocolErrors } = await connect(repo.dir, repo.env);
    const { session_id } = await okCall(client, 'session_start', { focus: 'bad input' });
    const before = repo.git('for-each-ref');
    const yamlPath = join(repo.dir, '04-agents/sessions/active', session_id, 'session.yaml');
    const yamlBefore = readFileSync(yamlPath, 'utf8');

    expect(errorText(await call(client, 'session_checkpoint', { session_id: '2020-01-01-session-999-nope', description: 'x' })))
      .toBe("no session matches '2020-01-01-session-999-nope' (see session_list_active with include_archived)");
    expect(errorText(await call(client, 'session_track_artifact', { session_id, file_path: '../outside.txt', action: 'created' }))).toMatch(/outside/);
    expect(errorText(await call(client, 'session_track_artifact', { session_id, file_path: '/etc/passwd', action: 'created' }))).toMatch(/outside/);
    expect(errorText(await call(client, 'session_track_artifact', { session_id, file_path: 'a.txt', action: 'deleted' }))).toMatch(/action/);
    expect(errorText(await call(client, 'session_end', { session_id, rulemap_score: 11 }))).toMatch(/rulemap_score/);
    expect(errorText(await call(client, 'session_checkpoint', { session_id, description: '   ' }))).toMatch(/description is empty/);
    expect(errorText(await call(client, 'session_checkpoint', { session_id }))).toMatch(/description/);
    expect(errorText(await call(client, 'session_start', { focus: 'x', metadata: { 'bad key!': 'v' } }))).toMatch(/metadata key/);
    // A model cannot open any repository on disk: only the server's folder and the client's roots.
    const elsewhere = makeRepo();
    expect(errorText(await call(client, 'session_list_active', { project_path: elsewhere.dir }))).toMatch(/project_path .* is outside the folders this server may open/);
    expect(errorText(await call(client, 'session_start', { project_path: join(repo.dir, '..'), focus: 'x' }))).toMatch(/outside the folders/);
    expect(existsSync(join(elsewhere.dir, '04-agents'))).toBe(false);
    expect(errorText(await call(client, 'session_list_active', { project_path: join(repo.dir, 'no-such-folder') }))).toMatch(/no such directory/);
    expect(errorText(await call(client, 'session_restore_checkpoint', { session_id, checkpoint_id: 'checkpoint-404' }))).toMatch(/checkpoint/);
    expect(errorText(await call(client, 'no_such_tool', {}))).toMatch(/not found/);
    expect(errorText(await call(client, 'session_show', { session_id: '../../etc' }))).toMatch(/session/);

    // Nothing was written by any of them.
    expect(repo.git('for-each-ref')).toBe(before);
    expect(readFileSync(yamlPath, 'utf8')).toBe(yamlBefore);
    expect(existsSync(join(repo.dir, '..', 'outside.txt'))).toBe(false);

    writeFileSync(yamlPath, 'session: [unclosed\n');
    expect(errorText(await call(client, 'session_show', { session_id }))).toMatch(/session\.yaml.*invalid YAML/);
    writeFileSync(yamlPath, yamlBefore);

    // Still serving, and nothing but protocol on stdout the whole time.
    expect((await okCall(client, 'session_list_active', {})).sessions).toHaveLength(1);
    expect(protocolErrors).toEqual([]);
  });

  it('says so when the repository has no commits yet, and starts with an empty base', async () => {
    const repo = makeRepo({ commit: false });
    const { client } = await connect(repo.dir, repo.env);
    const s = await okCall(client, 'session_start', { focus: 'fresh repo' });
    expect(s.base_commit).toMatch(/^[0-9a-f]{40}$/);
    expect((await okCall(client, 'session_list_active', {})).sessions.map((x: any) => x.session_id)).toEqual([s.session_id]);
  });

  it('answers a request too large to read with a tool error, and goes on serving; SPECMAP_MCP_ALLOW_PATHS opens more folders', async () => {
    const repo = makeRepo();
    const other = makeRepo();
    const { client, protocolErrors } = await connect(repo.dir, { ...repo.env, SPECMAP_MCP_ALLOW_PATHS: other.dir });
    const { session_id } = await okCall(client, 'session_start', { focus: 'big requests' });
    // About 15 MiB of paths in one call: more than the server reads.
    const files = Array.from({ length: 300_000 }, (_, i) => `src/some/rather/long/folder/name/file-${i}.txt`);
    const big = await call(client, 'session_checkpoint', { session_id, description: 'too big', files_to_snapshot: files });
    expect(errorText(big)).toMatch(/request of [\d,]+ bytes refused: specmap reads requests of up to 10 MiB/);
    expect((await okCall(client, 'session_list_active', {})).sessions).toHaveLength(1);
    expect((await okCall(client, 'session_list_active', { project_path: other.dir })).sessions).toEqual([]);
    expect(protocolErrors).toEqual([]);
  });
});
