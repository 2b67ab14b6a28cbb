import { appendFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { WORK, registerScratch, rmrf, run, sh, specmap } from '../lib/exec.mjs';
import { commandKind, hookCommand, hookEnv, installClaude, pluginHooks, runHook, writeTranscript } from '../lib/claude.mjs';
import { applyChanges, workingCopy } from '../lib/repo-gen.mjs';
import { GROUPS, interleave, median, round, row, targets } from '../lib/timing.mjs';
import { BASELINE_SNAPSHOT, CHECKPOINT_TARGETS } from './checkpoint.mjs';

const CONVERSATION = 'bench-conversation';
const FLOORS = { sh: 'sh -c true', node: 'node -e 0' };
/** Wait for the lock: the locked PostToolUse less the same event unlocked; about 1 s is the design (1.25 s allowed). */
const lockTarget = (unlocked) => ({
  group: GROUPS.agent,
  target: '≤ ~1 s waited for the lock (locked − unlocked PostToolUse ≤ 1.25 s)',
  pass: ({ specmap: s }) => s - unlocked <= 1250,
  value: ({ specmap: s }) => `${Math.round(s - unlocked)} ms waited (${Math.round(s)} ms in all)`,
});

/**
 * Agent hook latency: what one Claude Code hook event adds to the agent's wait. The hooks are the ones
 * `specmap init --claude` installs (and, for comparison, the plugin's hooks/hooks.json), run as Claude Code runs
 * them: the handler's command through `sh -c`, the event on stdin. Issue 19: record-only events (PostToolUse) at
 * most 15 ms over the process Claude Code spawns anyway — `sh -c true` when the command is a shell script, `node
 * -e 0` when it has to start Node (both are measured in every round) —, `Stop` with 1 changed file within the CLI
 * checkpoint target (≤ 1.9× plumbing), and a hook waits at most ~1 s for the lock.
 */
export async function agentHooksCase(ctx) {
  const runs = ctx.quick ? 2 : 15;
  const size = ctx.quick ? 'S' : 'M';
  const dir = workingCopy(size, 'agent-hooks', ctx.log);
  const settings = installClaude(dir);
  // Where Claude Code keeps transcripts (specmap reads no transcript_path outside the agents' own folders).
  const home = registerScratch(join(WORK, 'run', 'agent-hooks-home'));
  rmrf(home);
  const transcriptPath = join(home, '.claude', 'projects', 'bench', 'transcript.jsonl');
  writeTranscript(transcriptPath, ctx.quick ? 256 * 1024 : 5 * 1024 * 1024);
  const env = hookEnv(dir, home);
  const event = (body) => ({ session_id: CONVERSATION, transcript_path: transcriptPath, ...body });
  const commands = {
    SessionStart: hookCommand(settings, 'SessionStart'),
    UserPromptSubmit: hookCommand(settings, 'UserPromptSubmit'),
    PostToolUse: hookCommand(settings, 'PostToolUse', { tool: 'Write' }),
    Stop: hookCommand(settings, 'Stop'),
    PreToolUse: hookCommand(settings, 'PreToolUse', { tool: 'Bash', shell: 'rm -f build/out.txt' }),
  };
  const plugin = hookCommand(pluginHooks(), 'PostToolUse', { tool: 'Write' });
  for (const [name, c] of Object.entries(commands)) if (!c) throw new Error(`specmap init --claude installed no ${name} hook`);
  const kind = commandKind(commands.PostToolUse, env);
  const pluginKind = plugin ? commandKind(plugin, env) : null;
  const hook = (name, body, command = commands[name]) => runHook(command, dir, event({ hook_event_name: name, ...body }), env);

  const file = join(dir, 'agent-edit.txt');
  const tracked = join(dir, 'agent-tracked.ts');
  const write = (i, command) => {
    writeFileSync(file, `edit ${i}\n`);
    return hook('PostToolUse', { tool_name: 'Write', tool_input: { file_path: file }, tool_response: { type: 'update' } }, command);
  };
  const edit = (i) => {
    writeFileSync(tracked, `export const round = ${i};\n`);
    return hook('PostToolUse', { tool_name: 'Edit', tool_input: { file_path: tracked, old_string: 'x', new_string: 'y' }, tool_response: {} });
  };
  // The conversation's session opens at its first change; afterwards every measured event finds it.
  hook('SessionStart', { source: 'startup' });
  hook('UserPromptSubmit', { prompt: 'bench' });
  write(0);
  edit(0);
  hook('Stop', { stop_hook_active: false });

  const floors = { sh: () => run('sh', ['-c', 'true'], { cwd: dir }).ms, node: () => run(process.execPath, ['-e', '0'], { cwd: dir }).ms };
  const rows = [];
  /** One event measured with both floors (and the plumbing snapshot when it checkpoints), in the same rounds. */
  const add = (id, label, fn, { judge, withPlumbing = false, prep, floorKind = kind, warmup = ctx.quick ? 1 : 2, n = runs } = {}) => {
    const sides = { hook: prep ? { prep, fn } : fn, sh: floors.sh, node: floors.node };
    if (withPlumbing) sides.plumbing = () => sh(dir, BASELINE_SNAPSHOT).ms;
    const r = interleave({ runs: n, warmup, sides });
    const floor = r[floorKind];
    const base = withPlumbing ? r.plumbing : floor;
    const t = judge === 'record'
      ? targets.added(15, `the bare hook process (${FLOORS[floorKind]})`, GROUPS.agent)
      : judge === 'stop' ? targets.ratio(CHECKPOINT_TARGETS[1], 'plumbing', GROUPS.agent)
        : judge === 'lock' ? lockTarget(rows.find((x) => x.id === 'agent-post-tool-use').specmap_ms)
          : {};
    rows.push(row({
      id, label, a: r.hook, b: base, ...t,
      extra: {
        baseline_is: withPlumbing ? 'plumbing' : FLOORS[floorKind],
        floor: FLOORS[floorKind],
        sh_ms: round(median(r.sh)),
        node_ms: round(median(r.node)),
        added_over_sh_ms: round(median(r.hook) - median(r.sh)),
        added_over_node_ms: round(median(r.hook) - median(r.node)),
      },
    }));
  };
  add('agent-post-tool-use', 'PostToolUse of a Write (file tracked)', (i) => write(i), { judge: 'record' });
  add('agent-post-tool-use-edit', 'PostToolUse of an Edit of a file already tracked', (i) => edit(i), { judge: 'record' });
  if (plugin) {
    add('agent-post-tool-use-plugin', 'PostToolUse of a Write, the plugin\'s hook command (hooks/hooks.json)', (i) => write(i, plugin), { judge: 'record', floorKind: pluginKind });
  }
  add('agent-prompt', 'UserPromptSubmit (turn baseline: a snapshot of the project)', () => hook('UserPromptSubmit', { prompt: 'next step' }));
  add('agent-stop', `Stop, 1 changed file (${size}), transcript grown by one turn, vs plumbing`, () => hook('Stop', { stop_hook_active: false }), {
    judge: 'stop',
    withPlumbing: true,
    prep: (i) => {
      applyChanges(dir, size, 1, i, { tag: '-stop' });
      appendFileSync(transcriptPath, `${JSON.stringify({ type: 'user', message: { role: 'user', content: `turn ${i}` } })}\n`);
    },
  });
  add('agent-stop-unchanged', 'Stop, nothing changed (no checkpoint; the turn\'s lines stored)', () => hook('Stop', { stop_hook_active: false }), {
    prep: (i) => appendFileSync(transcriptPath, `${JSON.stringify({ type: 'user', message: { role: 'user', content: `question ${i}` } })}\n`),
  });
  add('agent-safety', 'PreToolUse of `rm -f …` with 1 changed file (safety checkpoint), vs plumbing', () => hook('PreToolUse', { tool_name: 'Bash', tool_input: { command: 'rm -f build/out.txt' } }), {
    withPlumbing: true,
    prep: (i) => applyChanges(dir, size, 1, i, { tag: '-safety' }),
  });

  // Another specmap holds the lock: the hook waits SPECMAP_HOOK_LOCK_WAIT_MS (1 s), then queues the event.
  const lock = join(dir, '.git', 'specmap.lock');
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
  add('agent-locked', 'PostToolUse while another specmap holds the lock (waits, then queues)', (i) => write(100 + i), { judge: 'lock', n: ctx.quick ? 2 : 5, warmup: 0 });
  run('rm', ['-f', lock]);
  specmap(dir, ['list']);
  ctx.cleanup(dir);
  ctx.cleanup(home);
  return {
    key: 'agent-hooks',
    title: 'Agent hooks: what one Claude Code event adds to the agent\'s wait',
    rows,
    extra: { commands, plugin_command: plugin, command_kind: kind, plugin_command_kind: pluginKind },
    note: `Repository ${size} after \`specmap init --claude\`, with an active conversation session; transcript ${ctx.quick ? '0.25' : 5} MB, growing by one line per measured turn. `
      + `Each row runs the installed hook command (\`${commands.PostToolUse}\`, ${kind === 'node' ? 'which starts Node' : 'a shell script'}) through \`sh -c\` with the event on stdin, `
      + `\`specmap\` being a link to dist/bin/specmap.js on PATH as npm installs it; record-only events are judged against ${FLOORS[kind]}. `
      + `Every round also runs \`sh -c true\` and \`node -e 0\`: added_over_sh_ms and added_over_node_ms in the results. Median of ${runs} rounds.`,
  };
}
