import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { run, specmap } from '../lib/exec.mjs';
import { workingCopy } from '../lib/repo-gen.mjs';
import { alternate, row } from '../lib/timing.mjs';

const CONVERSATION = 'bench-conversation';

/** A Claude Code transcript of about `bytes`: alternating prompts and answers, as JSONL. */
function transcript(path, bytes) {
  const lines = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const line = `${JSON.stringify(i % 2 === 0
      ? { type: 'user', message: { role: 'user', content: `prompt ${i}: ${'lorem ipsum dolor sit amet '.repeat(40)}` } }
      : { type: 'assistant', message: { role: 'assistant', content: [{ type: 'text', text: `answer ${i}: ${'consectetur adipiscing elit '.repeat(80)}` }] } })}\n`;
    lines.push(line);
    size += line.length;
  }
  writeFileSync(path, lines.join(''));
}

/**
 * Agent hook latency: what one Claude Code hook event adds to the agent's wait, against a bare `node -e 0` (the
 * floor of any hook that starts Node). PostToolUse of a Write, UserPromptSubmit (the turn baseline), Stop with one
 * changed file and a 5 MB transcript, a destructive command's PreToolUse (safety checkpoint); then the same
 * PostToolUse while another specmap holds the lock (the hook waits ~1 s, then queues).
 */
export async function agentHooksCase(ctx) {
  const runs = ctx.quick ? 5 : 15;
  const dir = workingCopy('S', 'agent-hooks', ctx.log);
  // Where Claude Code keeps transcripts (specmap reads no transcript_path outside the agents' own folders).
  const home = join(dir, '..', 'agent-hooks-home');
  const transcriptPath = join(home, '.claude', 'projects', 'bench', 'transcript.jsonl');
  mkdirSync(dirname(transcriptPath), { recursive: true });
  transcript(transcriptPath, ctx.quick ? 1024 * 1024 : 5 * 1024 * 1024);
  const env = { CLAUDE_PROJECT_DIR: dir, SPECMAP_BACKGROUND: '0', HOME: home };
  const hook = (body) => specmap(dir, ['agent-hook', 'claude'], {
    env: { ...process.env, ...env }, input: JSON.stringify({ session_id: CONVERSATION, transcript_path: transcriptPath, cwd: dir, ...body }),
  }).ms;
  const floor = () => run(process.execPath, ['-e', '0'], { cwd: dir }).ms;
  const file = join(dir, 'agent-edit.txt');
  const write = (i) => {
    writeFileSync(file, `edit ${i}\n`);
    return hook({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: file }, tool_response: { type: 'update' } });
  };
  hook({ hook_event_name: 'SessionStart', source: 'startup' });
  hook({ hook_event_name: 'UserPromptSubmit', prompt: 'bench' });
  write(0);
  hook({ hook_event_name: 'Stop', stop_hook_active: false });

  const rows = [];
  const add = (id, label, fn, target, note) => {
    const r = alternate({ runs, warmup: 2, a: fn, b: floor });
    rows.push(row({ id, label, a: r.a, b: r.b, ...target, note }));
  };
  add('agent-post-tool-use', 'PostToolUse of a Write (file tracked)', write, { target: '≤ 15 ms added (issue 19)', pass: ({ specmap: s, baseline: b }) => s - b <= 15 });
  add('agent-prompt', 'UserPromptSubmit (turn baseline: a snapshot of the project)', () => hook({ hook_event_name: 'UserPromptSubmit', prompt: 'next step' }));
  add('agent-stop', 'Stop, 1 changed file, transcript grown by one turn', (i) => {
    writeFileSync(file, `turn ${i}\n`);
    appendFileSync(transcriptPath, `${JSON.stringify({ type: 'user', message: { role: 'user', content: `turn ${i}` } })}\n`);
    return hook({ hook_event_name: 'Stop', stop_hook_active: false });
  });
  add('agent-stop-unchanged', 'Stop, nothing changed (no checkpoint; the turn\'s lines stored)', (i) => {
    appendFileSync(transcriptPath, `${JSON.stringify({ type: 'user', message: { role: 'user', content: `question ${i}` } })}\n`);
    return hook({ hook_event_name: 'Stop', stop_hook_active: false });
  });
  add('agent-safety', 'PreToolUse of `rm -f …` with 1 changed file (safety checkpoint)', (i) => {
    writeFileSync(file, `before rm ${i}\n`);
    return hook({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -f build/out.txt' } });
  });

  // Another specmap holds the lock: the hook waits SPECMAP_HOOK_LOCK_WAIT_MS (1 s), then queues the event.
  const lock = join(dir, '.git', 'specmap.lock');
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
  const locked = alternate({ runs: ctx.quick ? 3 : 5, warmup: 0, a: write, b: floor });
  rows.push(row({ id: 'agent-locked', label: 'PostToolUse while another specmap holds the lock (waits, then queues)', a: locked.a, b: locked.b, target: '≤ ~1 s waited', pass: ({ specmap: s }) => s <= 1500 }));
  run('rm', ['-f', lock]);
  specmap(dir, ['list']);
  ctx.cleanup(dir);
  ctx.cleanup(home);
  return {
    key: 'agent-hooks',
    title: 'Agent hooks: what one Claude Code event adds to the agent\'s wait, against `node -e 0`',
    rows,
    note: `Repository S with an active conversation session; transcript ${ctx.quick ? 1 : 5} MB, growing by one line per measured turn. `
      + 'Each row runs `specmap agent-hook claude` with the event on stdin, as Claude Code does, alternating with a bare `node -e 0`. '
      + `Median of ${runs} rounds.`,
  };
}
