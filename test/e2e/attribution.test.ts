import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

// Line attribution (#21) in real repositories: agent turns through `specmap agent-hook claude`, a person's edits,
// real `git commit`, `--amend`, `rebase` and `cherry-pick` with the installed hooks, and the notes they leave under
// refs/notes/specmap, checked line by line. The hooks' background process is off (SPECMAP_BACKGROUND=0): the next
// specmap command records what they queued, so nothing here depends on timing.

const CONV = 'conv-attribution-1';

function envOf(repo: TestRepo): NodeJS.ProcessEnv {
  const env = { ...repo.env, SPECMAP_BACKGROUND: '0' };
  delete env.CLAUDE_PROJECT_DIR;
  return env;
}

/** One Claude Code hook event, as its hooks would send it (in `at`: another worktree, with its own conversation). */
async function claude(repo: TestRepo, event: string, extra: Record<string, unknown> = {}, at?: { dir: string; conversation: string }): Promise<void> {
  const dir = at?.dir ?? repo.dir;
  const input = JSON.stringify({ session_id: at?.conversation ?? CONV, hook_event_name: event, cwd: dir, ...extra });
  const r = await runCli(['agent-hook', 'claude'], { cwd: dir, env: envOf(repo), input });
  expect(r.code).toBe(0);
}

/** A whole agent turn: the prompt, the agent's edits, its Stop (which checkpoints what the turn changed). */
async function agentTurn(repo: TestRepo, prompt: string, edit: () => void, at?: { dir: string; conversation: string }): Promise<void> {
  await claude(repo, 'UserPromptSubmit', { prompt }, at);
  edit();
  await claude(repo, 'Stop', {}, at);
}

function git(repo: TestRepo, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo.dir, env: envOf(repo), encoding: 'utf8' }).trimEnd();
}

/** git commit with the hooks active (they queue; the next specmap command records). */
function commit(repo: TestRepo, ...args: string[]): string {
  const r = spawnSync('git', ['commit', '-q', ...args], { cwd: repo.dir, env: envOf(repo), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return git(repo, 'rev-parse', 'HEAD');
}

const cli = async (repo: TestRepo, args: string[]) => (await ok(args, { cwd: repo.dir, env: envOf(repo) })).stdout;
const json = async (repo: TestRepo, args: string[]) => JSON.parse(await cli(repo, [...args, '--json']));

interface Record {
  vcs: { revision: string };
  files: { path: string; conversations: { url?: string; contributor: { type: string }; ranges: { start_line: number; end_line: number }[]; related?: { type: string; url: string }[] }[] }[];
  metadata: { 'dev.specmap': { session?: string; source: string; from?: string; ai_lines: number; human_lines: number } };
}

/** The note of `rev` (queued work settled first), one record per line. */
async function noteOf(repo: TestRepo, rev: string): Promise<Record> {
  await cli(repo, ['list']);
  const text = git(repo, 'notes', '--ref=specmap', 'show', rev);
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record;
}

/** Per line of `path` in the record: 'human', or '<agent> <checkpoint>' (checkpoint '-' while the turn ran). */
function linesOf(record: Record, path: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const c of record.files.find((f) => f.path === path)?.conversations ?? []) {
    const agent = c.related?.find((r) => r.type === 'agent')?.url.replace('specmap:agent/', '');
    const checkpoint = c.related?.find((r) => r.type === 'checkpoint')?.url.replace(/.*\/checkpoint\//, '') ?? '-';
    for (const r of c.ranges) for (let n = r.start_line; n <= r.end_line; n++) out.set(n, c.contributor.type === 'human' ? 'human' : `${agent} ${checkpoint}`);
  }
  return new Map([...out].sort(([a], [b]) => a - b));
}

/** What `specmap blame --json` says of each line: 'human', '<agent> <checkpoint>', 'unknown' or 'uncommitted'. */
async function blameOf(repo: TestRepo, path: string, rev?: string): Promise<string[]> {
  const r = await json(repo, ['blame', path, ...(rev ? ['--rev', rev] : [])]);
  return r.lines.map((l: { by: string; agent: string | null; checkpoint_id: string | null }) => (l.by === 'ai' ? `${l.agent} ${l.checkpoint_id ?? '-'}` : l.by));
}

async function checkpointIds(repo: TestRepo): Promise<string[]> {
  return (await json(repo, ['show', '@'])).document.checkpoints.map((c: { id: string }) => c.id);
}

/**
 * The mixed commit: two agent turns on src/parser.js with a person's edits between and after them, a file the
 * person wrote, a checkpoint the person asked for, and an agent line appended to an existing file.
 */
async function mixedCommit(repo: TestRepo) {
  await cli(repo, ['hooks', 'install']);
  await claude(repo, 'SessionStart', { source: 'startup' });
  await agentTurn(repo, 'write the parser', () => {
    repo.write('src/parser.js', 'function parse(s) {\n  const parts = s.split(",");\n  return parts;\n}\n');
    repo.write('src/main.js', "console.log('hi');\nconsole.log('agent');\n");
  });
  // Between turns the person changes the agent's third line and writes a file of their own.
  repo.write('src/parser.js', 'function parse(s) {\n  const parts = s.split(",");\n  return parts.map(Number);\n}\n');
  repo.write('src/notes.js', '// my notes\n// more notes\n');
  await agentTurn(repo, 'add a formatter', () => {
    repo.write('src/parser.js', 'function parse(s) {\n  const parts = s.split(",");\n  return parts.map(Number);\n}\nfunction format(xs) {\n  return xs.join(";");\n}\n');
  });
  // After the last turn: the person rewrites one agent line, adds one, and checkpoints a new file by hand.
  repo.write('src/parser.js', 'function parse(s) {\n  const parts = s.split(",");\n  return parts.map(Number);\n}\nfunction format(xs) {\n  return xs.join(", ");\n}\n// human footer\n');
  repo.write('src/extra.js', 'const extra = 1;\n');
  await cli(repo, ['checkpoint', '@', 'by hand', 'src/extra.js']);
  git(repo, 'add', 'src');
  const sha = commit(repo, '-m', 'parser');
  const [cp1, cp2] = await checkpointIds(repo);
  return { sha, cp1: cp1!, cp2: cp2! };
}

describe('line attribution of a commit', () => {
  it('tells the agent lines from the person lines, line by line, in the note and in blame', async () => {
    const repo = makeRepo();
    const { sha, cp1, cp2 } = await mixedCommit(repo);
    const session = (await json(repo, ['show', '@'])).session_id as string;
    const record = await noteOf(repo, sha);
    expect(record.vcs.revision).toBe(sha);
    expect([...linesOf(record, 'src/parser.js')]).toEqual([
      [1, `claude ${cp1}`], [2, `claude ${cp1}`], [3, 'human'], [4, `claude ${cp1}`],
      [5, `claude ${cp2}`], [6, 'human'], [7, `claude ${cp2}`], [8, 'human'],
    ]);
    expect([...linesOf(record, 'src/main.js')]).toEqual([[2, `claude ${cp1}`]]);
    expect([...linesOf(record, 'src/notes.js')]).toEqual([[1, 'human'], [2, 'human']]);
    expect([...linesOf(record, 'src/extra.js')]).toEqual([[1, 'human']]);
    expect(record.metadata['dev.specmap']).toEqual({ session, source: 'commit', ai_lines: 6, human_lines: 6 });
    expect(record.files.find((f) => f.path === 'src/parser.js')!.conversations[0]!.url).toBe(`specmap:session/${session}`);

    expect(await blameOf(repo, 'src/parser.js')).toEqual([
      `claude ${cp1}`, `claude ${cp1}`, 'human', `claude ${cp1}`, `claude ${cp2}`, 'human', `claude ${cp2}`, 'human',
    ]);
    // Lines older than the session: their commit has no note.
    expect(await blameOf(repo, 'src/main.js')).toEqual(['unknown', `claude ${cp1}`]);
    const text = await cli(repo, ['blame', 'src/parser.js']);
    expect(text.split('\n')[0]).toMatch(new RegExp(`^${sha.slice(0, 8)} claude ${session} +\\(Test User +\\d{4}-\\d{2}-\\d{2} 1\\) function parse\\(s\\) \\{$`));
    expect(text.split('\n')[2]).toMatch(new RegExp(`^${sha.slice(0, 8)} human +\\(Test User .* 3\\)   return parts.map\\(Number\\);$`));

    // `git log --notes=specmap` shows the record; the checkpoint took the turn's trailers.
    expect(git(repo, 'log', '-1', '--notes=specmap', '--format=%N')).toContain(`"revision":"${sha}"`);
    const cpMessage = git(repo, 'log', '-1', '--format=%B', `refs/tags/checkpoints/${session}/${cp2}`);
    expect(cpMessage).toMatch(/\nAgent-Turn: claude\nTurn-Baseline: [0-9a-f]{40}$/);

    const stats = await json(repo, ['stats']);
    expect(stats.total).toEqual({ commits: 1, ai_lines: 6, human_lines: 6, ai_share: 0.5, agents: { claude: 6 } });
    expect(stats.commits).toMatchObject([{ commit: sha, subject: 'parser', session_id: session, ai_lines: 6, human_lines: 6 }]);
    expect(stats.sessions).toEqual([{ session_id: session, commits: 1, ai_lines: 6, human_lines: 6, ai_share: 0.5, agents: { claude: 6 } }]);
    expect(stats.files.map((f: { path: string; ai_lines: number; human_lines: number }) => [f.path, f.ai_lines, f.human_lines])).toEqual([
      ['src/extra.js', 0, 1], ['src/main.js', 1, 0], ['src/notes.js', 0, 2], ['src/parser.js', 5, 3],
    ]);
    expect((await json(repo, ['stats', '--since', '2999-01-01'])).total.commits).toBe(0);
    expect(await cli(repo, ['stats'])).toMatch(/^Lines written by agents: 50% \(6 of 12 lines added in 1 commit; claude 6\)/);
  });

  it("credits a commit made while the agent's turn is still running to the agent", async () => {
    const repo = makeRepo();
    await cli(repo, ['hooks', 'install']);
    await claude(repo, 'SessionStart', { source: 'startup' });
    repo.write('src/mine.js', 'mine\n');
    await claude(repo, 'UserPromptSubmit', { prompt: 'write and commit' });
    repo.write('src/agent.js', 'agent one\nagent two\n');
    await claude(repo, 'PostToolUse', { tool_name: 'Write', tool_input: { file_path: join(repo.dir, 'src/agent.js') }, tool_response: { type: 'create' } });
    git(repo, 'add', 'src');
    const sha = commit(repo, '-m', 'agent commits mid-turn');
    await claude(repo, 'Stop');
    const record = await noteOf(repo, sha);
    expect([...linesOf(record, 'src/agent.js')]).toEqual([[1, 'claude -'], [2, 'claude -']]);
    // Written before the turn began: the person's.
    expect([...linesOf(record, 'src/mine.js')]).toEqual([[1, 'human']]);
    // After Stop, the person's next edit is theirs again.
    repo.write('src/agent.js', 'agent one\nagent two\nhuman three\n');
    const next = commit(repo, '-a', '-m', 'human');
    expect([...linesOf(await noteOf(repo, next), 'src/agent.js')]).toEqual([[3, 'human']]);
  });
});

describe('attribution survives rewrites', () => {
  it('git commit --amend: the lines keep who wrote them at their new numbers (post-rewrite)', async () => {
    const repo = makeRepo();
    const { sha, cp1, cp2 } = await mixedCommit(repo);
    await noteOf(repo, sha);
    repo.write('src/parser.js', `'use strict';\n${readFileSync(join(repo.dir, 'src/parser.js'), 'utf8')}`);
    const amended = commit(repo, '-a', '--amend', '-m', 'parser, strict');
    expect(amended).not.toBe(sha);
    const record = await noteOf(repo, amended);
    expect(record.vcs.revision).toBe(amended);
    expect(record.metadata['dev.specmap']).toMatchObject({ source: 'amend', from: sha, ai_lines: 6, human_lines: 7 });
    expect([...linesOf(record, 'src/parser.js')]).toEqual([
      [1, 'human'], [2, `claude ${cp1}`], [3, `claude ${cp1}`], [4, 'human'], [5, `claude ${cp1}`],
      [6, `claude ${cp2}`], [7, 'human'], [8, `claude ${cp2}`], [9, 'human'],
    ]);
    expect(await blameOf(repo, 'src/parser.js')).toEqual([...linesOf(record, 'src/parser.js').values()]);
    expect(git(repo, 'config', '--get-all', 'notes.rewriteRef')).toBe('refs/notes/specmap');
  });

  it('git rebase after the session ended, and a cherry-pick with no session: the notes follow', async () => {
    const repo = makeRepo();
    const { sha, cp1, cp2 } = await mixedCommit(repo);
    const before = linesOf(await noteOf(repo, sha), 'src/parser.js');
    await cli(repo, ['end', '@']);
    // Upstream moved: a header line in src/main.js shifts the agent's line there from 2 to 3.
    const parent = git(repo, 'rev-parse', `${sha}^`);
    git(repo, 'switch', '-q', '-c', 'upstream', parent);
    repo.write('src/main.js', "// header\nconsole.log('hi');\n");
    const upstream = commit(repo, '-a', '-m', 'header');
    git(repo, 'switch', '-q', 'main');
    const r = spawnSync('git', ['rebase', '-q', 'upstream'], { cwd: repo.dir, env: envOf(repo), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const rebased = git(repo, 'rev-parse', 'HEAD');
    expect(git(repo, 'rev-parse', 'HEAD^')).toBe(upstream);
    const record = await noteOf(repo, rebased);
    expect(record.metadata['dev.specmap']).toMatchObject({ source: 'rebase', from: sha });
    expect(linesOf(record, 'src/parser.js')).toEqual(before);
    expect([...linesOf(record, 'src/main.js')]).toEqual([[3, `claude ${cp1}`]]);
    expect(await blameOf(repo, 'src/main.js')).toEqual(['unknown', 'unknown', `claude ${cp1}`]);

    // A cherry-pick onto the old base, no session active: the note is carried over all the same.
    git(repo, 'switch', '-q', '-c', 'picked', parent);
    // Another committer date: picked within the second `sha` was made, the pick would be `sha` itself.
    const p = spawnSync('git', ['cherry-pick', rebased], { cwd: repo.dir, env: { ...envOf(repo), GIT_COMMITTER_DATE: '2030-01-01T00:00:00Z' }, encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    const picked = git(repo, 'rev-parse', 'HEAD');
    expect(picked).not.toBe(rebased);
    expect(picked).not.toBe(sha);
    const pickedRecord = await noteOf(repo, picked);
    expect(pickedRecord.metadata['dev.specmap']).toMatchObject({ source: 'cherry-pick', from: rebased });
    expect(linesOf(pickedRecord, 'src/parser.js')).toEqual(before);
    expect([...linesOf(pickedRecord, 'src/main.js')]).toEqual([[2, `claude ${cp1}`]]);
    expect(await blameOf(repo, 'src/parser.js')).toContain(`claude ${cp2}`);
  });

  it('a squash made with specmap merge is attributed from the checkpoints', async () => {
    const repo = makeRepo();
    await cli(repo, ['hooks', 'install']);
    await claude(repo, 'SessionStart', { source: 'startup' });
    await agentTurn(repo, 'write it', () => repo.write('src/lib.js', 'export const a = 1;\nexport const b = 2;\n'));
    repo.write('src/lib.js', 'export const a = 1;\nexport const b = 3;\n');
    await cli(repo, ['checkpoint', '@', 'b is 3']);
    // After the last checkpoint: not in the squash.
    repo.write('src/lib.js', 'export const a = 1;\nexport const b = 3;\nlater\n');
    const [cp1] = await checkpointIds(repo);
    const merged = await json(repo, ['merge', '@']);
    const record = await noteOf(repo, merged.commit);
    expect(record.metadata['dev.specmap']).toMatchObject({ source: 'merge', ai_lines: 1 });
    expect([...linesOf(record, 'src/lib.js')]).toEqual([[1, `claude ${cp1}`], [2, 'human']]);
  });
});

describe('attribution of git merge commits', () => {
  it('a merge counts only the lines new in it; the lines it brought in keep who wrote them and count once', async () => {
    const repo = makeRepo();
    await cli(repo, ['hooks', 'install']);
    await claude(repo, 'SessionStart', { source: 'startup' });
    const a = (...lines: string[]) => repo.write('src/a.js', `${lines.join('\n')}\n`);
    await agentTurn(repo, 'six lines', () => a('a1', 'a2', 'a3', 'a4', 'a5', 'a6'));
    git(repo, 'add', 'src');
    const c1 = commit(repo, '-m', 'c1');
    // A branch: the agent changes a line and writes b.js, the person adds a line to it.
    git(repo, 'switch', '-q', '-c', 'side');
    await agentTurn(repo, 'side work', () => {
      a('a1 side', 'a2', 'a3', 'a4', 'a5', 'a6');
      repo.write('src/b.js', 'b1\nb2\n');
    });
    git(repo, 'add', 'src');
    const s1 = commit(repo, '-m', 's1');
    repo.write('src/b.js', 'b1\nb2\nb3\n');
    const s2 = commit(repo, '-a', '-m', 's2');
    // Meanwhile on main the agent changes the last line.
    git(repo, 'switch', '-q', 'main');
    await agentTurn(repo, 'main work', () => a('a1', 'a2', 'a3', 'a4', 'a5', 'a6 main'));
    const c2 = commit(repo, '-a', '-m', 'c2');
    const [cp1, cp2, cp3] = await checkpointIds(repo);

    // A clean `git merge` runs no post-commit hook; a hook manager's `specmap hook post-commit` records it.
    const m = spawnSync('git', ['merge', '-q', '--no-ff', '-m', 'merge side', 'side'], { cwd: repo.dir, env: envOf(repo), encoding: 'utf8' });
    expect(m.status, m.stderr).toBe(0);
    const m1 = git(repo, 'rev-parse', 'HEAD');
    await cli(repo, ['hook', 'post-commit']);
    const r1 = await noteOf(repo, m1);
    // Every line it added against main came from the branch: each keeps its writer and names the commit.
    expect([...linesOf(r1, 'src/a.js')]).toEqual([[1, `claude ${cp2}`]]);
    expect([...linesOf(r1, 'src/b.js')]).toEqual([[1, `claude ${cp2}`], [2, `claude ${cp2}`], [3, 'human']]);
    const mergedFrom = (r: Record, path: string) => r.files.find((f) => f.path === path)!.conversations.map((c) => c.related?.find((x) => x.type === 'merged-from')?.url);
    expect(mergedFrom(r1, 'src/b.js')).toEqual([`specmap:commit/${s1}`, `specmap:commit/${s2}`]);
    expect(r1.metadata['dev.specmap']).toMatchObject({ source: 'commit', ai_lines: 0, human_lines: 0, merged_lines: 4 });

    // A second branch and a conflict, resolved by the agent in a turn that commits the merge (post-commit hook).
    git(repo, 'switch', '-q', '-c', 'side2');
    await agentTurn(repo, 'side2 work', () => {
      a('a1 side', 'a2', 'a3 side2', 'a4', 'a5', 'a6 main');
      repo.write('src/c.js', 'c1\n');
    });
    git(repo, 'add', 'src');
    const d1 = commit(repo, '-m', 'd1');
    git(repo, 'switch', '-q', 'main');
    a('a1 side', 'a2', 'a3 main', 'a4', 'a5', 'a6 main');
    const c3 = commit(repo, '-a', '-m', 'c3');
    const conflict = spawnSync('git', ['merge', '-q', 'side2'], { cwd: repo.dir, env: envOf(repo), encoding: 'utf8' });
    expect(conflict.status).not.toBe(0);
    await claude(repo, 'UserPromptSubmit', { prompt: 'resolve the conflict' });
    a('a1 side', 'a2', 'a3 resolved', 'a4', 'a5', 'a6 main');
    git(repo, 'add', 'src/a.js');
    const m2 = commit(repo, '--no-edit');
    await claude(repo, 'Stop');
    const cp4 = (await checkpointIds(repo))[3];
    const r2 = await noteOf(repo, m2);
    expect([...linesOf(r2, 'src/a.js')]).toEqual([[3, 'claude -']]);
    expect([...linesOf(r2, 'src/c.js')]).toEqual([[1, `claude ${cp4}`]]);
    expect(mergedFrom(r2, 'src/c.js')).toEqual([`specmap:commit/${d1}`]);
    expect(r2.metadata['dev.specmap']).toMatchObject({ ai_lines: 1, human_lines: 0, merged_lines: 1 });

    expect(await blameOf(repo, 'src/a.js')).toEqual([`claude ${cp2}`, `claude ${cp1}`, 'claude -', `claude ${cp1}`, `claude ${cp1}`, `claude ${cp3}`]);
    expect(await blameOf(repo, 'src/b.js')).toEqual([`claude ${cp2}`, `claude ${cp2}`, 'human']);

    // Each line once, in the commit that brought it in: c1 6, s1 3, s2 1 (human), c2 1, d1 2, c3 1 (human), m2 1.
    const stats = await json(repo, ['stats']);
    expect(stats.total).toMatchObject({ commits: 8, ai_lines: 13, human_lines: 2 });
    const perCommit = new Map(stats.commits.map((c: { commit: string; ai_lines: number; human_lines: number }) => [c.commit, [c.ai_lines, c.human_lines]]));
    expect(perCommit).toEqual(new Map([[m2, [1, 0]], [c3, [0, 1]], [d1, [2, 0]], [m1, [0, 0]], [c2, [1, 0]], [s2, [0, 1]], [s1, [3, 0]], [c1, [6, 0]]]));
    expect(stats.files.map((f: { path: string; ai_lines: number; human_lines: number }) => [f.path, f.ai_lines, f.human_lines])).toEqual([
      ['src/a.js', 10, 1], ['src/b.js', 2, 1], ['src/c.js', 1, 0],
    ]);
  });
});

describe('attribution of a forked session', () => {
  it("the parent's agent lines from before the fork stay the parent's when the fork is merged", async () => {
    const repo = makeRepo();
    await cli(repo, ['hooks', 'install']);
    await claude(repo, 'SessionStart', { source: 'startup' });
    // The parent: two agent turns, a person's edit between them.
    await agentTurn(repo, 'write lib', () => repo.write('src/lib.js', 'p1\np2\np3\n'));
    repo.write('src/lib.js', 'p1\np2\nh3\n');
    await agentTurn(repo, 'add p4', () => repo.write('src/lib.js', 'p1\np2\nh3\np4\n'));
    const parent = (await json(repo, ['show', '@'])).session_id as string;
    const [pc1, pc2] = await checkpointIds(repo);

    // The fork starts from the parent's second checkpoint; its agent (another conversation, in the fork's
    // worktree) rewrites one line and adds one, then the person adds one and checkpoints by hand.
    const f = await json(repo, ['fork', `${parent}:${pc2}`, 'forked lib']);
    const at = { dir: f.worktree as string, conversation: 'conv-attribution-fork' };
    await claude(repo, 'SessionStart', { source: 'startup' }, at);
    await agentTurn(repo, 'change p1, add f5', () => writeFileSync(join(at.dir, 'src/lib.js'), 'f1\np2\nh3\np4\nf5\n'), at);
    writeFileSync(join(at.dir, 'src/lib.js'), 'f1\np2\nh3\np4\nf5\nh6\n');
    await ok(['checkpoint', '@', 'by hand'], { cwd: at.dir, env: envOf(repo) });
    const fc1 = (await ok(['show', '@', '--json'], { cwd: at.dir, env: envOf(repo) }).then((r) => JSON.parse(r.stdout))).document.checkpoints[0].id as string;
    // The parent goes on after the fork, in another file: none of it is the fork's.
    await agentTurn(repo, 'other work', () => repo.write('src/other.js', 'later\n'));

    const expected = [
      `ai ${f.session_id} ${fc1}`, `ai ${parent} ${pc1}`, 'human', `ai ${parent} ${pc2}`, `ai ${f.session_id} ${fc1}`, 'human',
    ];
    const byLine = (r: { lines: { by: string; session_id: string | null; checkpoint_id: string | null }[] }) =>
      r.lines.map((l) => (l.by === 'ai' ? `ai ${l.session_id} ${l.checkpoint_id}` : l.by));

    // Merged from the main worktree, where the parent lives.
    const merged = await json(repo, ['merge', f.session_id]);
    expect(linesOf(await noteOf(repo, merged.commit), 'src/lib.js').size).toBe(6);
    expect(byLine(await json(repo, ['blame', 'src/lib.js', '--rev', merged.commit]))).toEqual(expected);
    expect(byLine(await json(repo, ['blame', 'src/lib.js']))).toEqual(expected);

    // Merged from the fork's own worktree into a branch checked out nowhere: the parent is found in the other one.
    git(repo, 'branch', 'elsewhere', `${merged.commit}^`);
    const again = JSON.parse((await ok(['merge', f.session_id, '--into', 'elsewhere', '-m', 'again', '--json'], { cwd: at.dir, env: envOf(repo) })).stdout);
    expect(again.commit).not.toBe(merged.commit);
    expect(byLine(await json(repo, ['blame', 'src/lib.js', '--rev', again.commit]))).toEqual(expected);
  });
});

describe('hook managers (husky, lefthook) calling specmap hook', () => {
  it('post-commit attributes HEAD, post-rewrite reads git\'s pairs from stdin', async () => {
    const repo = makeRepo();
    await cli(repo, ['start', 'by hand']);
    repo.write('src/a.js', 'a\n');
    git(repo, 'add', 'src/a.js');
    const first = commit(repo, '-m', 'a');
    await cli(repo, ['hook', 'post-commit']);
    expect([...linesOf(await noteOf(repo, first), 'src/a.js')]).toEqual([[1, 'human']]);
    repo.write('src/a.js', 'zero\na\n');
    const amended = commit(repo, '-a', '--amend', '-m', 'a, amended');
    await cli(repo, ['hook', 'post-commit']);
    await ok(['hook', 'post-rewrite', 'amend'], { cwd: repo.dir, env: envOf(repo), input: `${first} ${amended}\n` });
    const record = await noteOf(repo, amended);
    expect(record.metadata['dev.specmap']).toMatchObject({ source: 'amend', from: first, human_lines: 2 });
    expect([...linesOf(record, 'src/a.js')]).toEqual([[1, 'human'], [2, 'human']]);
  });
});

describe('notes travel with specmap push and pull', () => {
  it('pushes refs/notes/specmap, merges notes another clone pushed first, and pull brings them in', async () => {
    const remote = join(scratch(), 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', remote]);
    const alice = makeRepo();
    git(alice, 'remote', 'add', 'origin', remote);
    const first = await mixedCommit(alice);
    await noteOf(alice, first.sha);
    git(alice, 'push', '-q', 'origin', 'main');
    await cli(alice, ['push']);
    expect(execFileSync('git', ['--git-dir', remote, 'notes', '--ref=specmap', 'list'], { encoding: 'utf8' })).toContain(first.sha);

    const bob = makeRepo();
    git(bob, 'remote', 'add', 'origin', remote);
    git(bob, 'fetch', '-q', 'origin', 'main');
    await cli(bob, ['pull']);
    expect(git(bob, 'log', '-1', '--notes=specmap', '--format=%N', first.sha)).toContain(`"revision":"${first.sha}"`);

    // Both attribute new commits; alice pushes first, bob's push meets her notes and merges them in.
    repo3Commit(alice, 'alice.js');
    const a2 = git(alice, 'rev-parse', 'HEAD');
    await cli(alice, ['push']);
    await cli(bob, ['start', 'bob']);
    await cli(bob, ['hooks', 'install']);
    repo3Commit(bob, 'bob.js');
    const b2 = git(bob, 'rev-parse', 'HEAD');
    await noteOf(bob, b2);
    await cli(bob, ['push']);
    const listed = execFileSync('git', ['--git-dir', remote, 'notes', '--ref=specmap', 'list'], { encoding: 'utf8' });
    for (const c of [first.sha, a2, b2]) expect(listed).toContain(c);
    await cli(alice, ['pull']);
    expect(git(alice, 'notes', '--ref=specmap', 'show', b2)).toContain(`"revision":"${b2}"`);
  });
});

/** A commit of one new file by the person, in the repository's active session. */
function repo3Commit(repo: TestRepo, file: string): void {
  repo.write(`src/${file}`, 'by hand\n');
  git(repo, 'add', `src/${file}`);
  commit(repo, '-m', file);
}

describe('hooks and bad input', () => {
  it('hooks install adds refs/notes/specmap to notes.rewriteRef once; uninstall takes only it away', async () => {
    const repo = makeRepo();
    git(repo, 'config', '--add', 'notes.rewriteRef', 'refs/notes/commits');
    await cli(repo, ['hooks', 'install']);
    await cli(repo, ['hooks', 'install']);
    expect(git(repo, 'config', '--get-all', 'notes.rewriteRef').split('\n')).toEqual(['refs/notes/commits', 'refs/notes/specmap']);
    await cli(repo, ['hooks', 'uninstall']);
    expect(git(repo, 'config', '--get-all', 'notes.rewriteRef').split('\n')).toEqual(['refs/notes/commits']);
  });

  it('one line on stderr for a file git cannot blame, a bad revision or date', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: envOf(repo) };
    const missing = await runCli(['blame', 'nope.js'], o);
    expect(missing.code).not.toBe(0);
    expect(oneLineError(missing)).toMatch(/^specmap: git cannot blame nope\.js/);
    const rev = await runCli(['blame', 'README.md', '--rev', '--all'], o);
    expect(oneLineError(rev)).toBe('specmap: invalid revision "--all"');
    const outside = await runCli(['blame', '../x'], o);
    expect(oneLineError(outside)).toMatch(/outside the project/);
    const since = await runCli(['stats', '--since', 'yesterday'], o);
    expect(oneLineError(since)).toBe('specmap: since must be a date YYYY-MM-DD, got "yesterday"');
    expect(await cli(repo, ['stats'])).toBe('No attributed commits yet (commits made while a session is active get one).\n');
  });
});
