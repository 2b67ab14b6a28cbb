import { execFileSync, spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import type { TestRepo } from './repo.js';
import { ok, runCli } from './cli.js';

// Line attribution helpers for the e2e tests (attribution, post-merge): agent turns through `specmap agent-hook
// claude`, git with the installed hooks, and the notes they leave under refs/notes/specmap. The hooks' background
// process is off (SPECMAP_BACKGROUND=0): the next specmap command records what they queued, so nothing depends on
// timing.

export const CONV = 'conv-attribution-1';

export function envOf(repo: TestRepo): NodeJS.ProcessEnv {
  const env = { ...repo.env, SPECMAP_BACKGROUND: '0' };
  delete env.CLAUDE_PROJECT_DIR;
  return env;
}

/** One Claude Code hook event, as its hooks would send it. */
export async function claude(repo: TestRepo, event: string, extra: Record<string, unknown> = {}): Promise<void> {
  const input = JSON.stringify({ session_id: CONV, hook_event_name: event, cwd: repo.dir, ...extra });
  const r = await runCli(['agent-hook', 'claude'], { cwd: repo.dir, env: envOf(repo), input });
  expect(r.code).toBe(0);
}

/** A whole agent turn: the prompt, the agent's edits, its Stop (which checkpoints what the turn changed). */
export async function agentTurn(repo: TestRepo, prompt: string, edit: () => void): Promise<void> {
  await claude(repo, 'UserPromptSubmit', { prompt });
  edit();
  await claude(repo, 'Stop');
}

export function git(repo: TestRepo, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo.dir, env: envOf(repo), encoding: 'utf8' }).trimEnd();
}

/** git commit with the hooks active (they queue; the next specmap command records). */
export function commit(repo: TestRepo, ...args: string[]): string {
  const r = spawnSync('git', ['commit', '-q', ...args], { cwd: repo.dir, env: envOf(repo), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return git(repo, 'rev-parse', 'HEAD');
}

export const cli = async (repo: TestRepo, args: string[]) => (await ok(args, { cwd: repo.dir, env: envOf(repo) })).stdout;
export const json = async (repo: TestRepo, args: string[]) => JSON.parse(await cli(repo, [...args, '--json']));

export interface TraceNote {
  vcs: { revision: string };
  files: { path: string; conversations: { url?: string; contributor: { type: string }; ranges: { start_line: number; end_line: number }[]; related?: { type: string; url: string }[] }[] }[];
  metadata: { 'dev.specmap': { session?: string; source: string; from?: string; ai_lines: number; human_lines: number; merged_lines?: number } };
}

/** The note of `rev` (queued work settled first), one record per line. */
export async function noteOf(repo: TestRepo, rev: string): Promise<TraceNote> {
  await cli(repo, ['list']);
  const text = git(repo, 'notes', '--ref=specmap', 'show', rev);
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as TraceNote;
}

/** Per line of `path` in the record: 'human', or '<agent> <checkpoint>' (checkpoint '-' while the turn ran). */
export function linesOf(record: TraceNote, path: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const c of record.files.find((f) => f.path === path)?.conversations ?? []) {
    const agent = c.related?.find((r) => r.type === 'agent')?.url.replace('specmap:agent/', '');
    const checkpoint = c.related?.find((r) => r.type === 'checkpoint')?.url.replace(/.*\/checkpoint\//, '') ?? '-';
    for (const r of c.ranges) for (let n = r.start_line; n <= r.end_line; n++) out.set(n, c.contributor.type === 'human' ? 'human' : `${agent} ${checkpoint}`);
  }
  return new Map([...out].sort(([a], [b]) => a - b));
}

/** What `specmap blame --json` says of each line: 'human', '<agent> <checkpoint>', 'unknown' or 'uncommitted'. */
export async function blameOf(repo: TestRepo, path: string, rev?: string): Promise<string[]> {
  const r = await json(repo, ['blame', path, ...(rev ? ['--rev', rev] : [])]);
  return r.lines.map((l: { by: string; agent: string | null; checkpoint_id: string | null }) => (l.by === 'ai' ? `${l.agent} ${l.checkpoint_id ?? '-'}` : l.by));
}

export async function checkpointIds(repo: TestRepo): Promise<string[]> {
  return (await json(repo, ['show', '@'])).document.checkpoints.map((c: { id: string }) => c.id);
}
