import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { agentTurn, blameOf, checkpointIds, claude, cli, commit, envOf, git, json, linesOf, noteOf } from '../support/attribution.js';

// Line attribution (#21) in real repositories: agent turns through `specmap agent-hook claude`, a person's edits,
// real `git commit`, `--amend`, `rebase` and `cherry-pick` with the installed hooks, and the notes they leave under
// refs/notes/specmap, checked line by line. The hooks' background process is off (SPECMAP_BACKGROUND=0): the next
// specmap command records what they queued, so nothing here depends on timing.

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
    // Picked within the second the original was committed, it would be that very commit (same tree, parent, author,
    // message and committer date), note and all: another committer date makes it a new one.
    const p = spawnSync('git', ['cherry-pick', rebased], { cwd: repo.dir, env: { ...envOf(repo), GIT_COMMITTER_DATE: '2030-01-01T00:00:00Z' }, encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    const picked = git(repo, 'rev-parse', 'HEAD');
    expect([sha, rebased]).not.toContain(picked);
    const pickedRecord = await noteOf(repo, picked);
    expect(pickedRecord.metadata['dev.specmap']).toMatchObject({ source: 'cherry-pick', from: rebased });
    expect(linesOf(pickedRecord, 'src/parser.js')).toEqual(before);
    expect([...linesOf(pickedRecord, 'src/main.js')]).toEqual([[2, `claude ${cp1}`]]);
    expect(await blameOf(repo, 'src/parser.js')).toContain(`claude ${cp2}`);
  });

  it('stats counts a cherry-picked commit once when the history holds the original too', async () => {
    const repo = makeRepo();
    const { sha } = await mixedCommit(repo);
    await cli(repo, ['end', '@']);
    const parent = git(repo, 'rev-parse', `${sha}^`);
    git(repo, 'switch', '-q', '-c', 'other', parent);
    const p = spawnSync('git', ['cherry-pick', sha], { cwd: repo.dir, env: { ...envOf(repo), GIT_COMMITTER_DATE: '2030-01-01T00:00:00Z' }, encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    const picked = git(repo, 'rev-parse', 'HEAD');
    expect((await noteOf(repo, picked)).metadata['dev.specmap']).toMatchObject({ source: 'cherry-pick', from: sha });
    // On `other` alone the pick's lines are its own.
    expect((await json(repo, ['stats'])).total).toMatchObject({ ai_lines: 6, human_lines: 6 });
    // Merged back: both are in main's history, and the lines count once.
    git(repo, 'switch', '-q', 'main');
    const m = spawnSync('git', ['merge', '-q', '--no-ff', '-m', 'merge other', 'other'], { cwd: repo.dir, env: envOf(repo), encoding: 'utf8' });
    expect(m.status, m.stderr).toBe(0);
    const stats = await json(repo, ['stats']);
    expect(stats.total).toMatchObject({ ai_lines: 6, human_lines: 6 });
    expect(stats.commits.find((c: { commit: string }) => c.commit === picked)).toMatchObject({ ai_lines: 0, human_lines: 0 });
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
