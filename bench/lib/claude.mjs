import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { CLI, CLI_DIR, RECORD, WORK, benchEnv, git, run, specmap } from './exec.mjs';

/**
 * A folder holding `specmap` and `specmap-record` as `npm install -g` leaves them (links to dist/bin/specmap.cjs,
 * run through its `#!/usr/bin/env node` line, and to the bin/specmap-record shell script), first on the PATH of
 * hook commands: the commands specmap installs call them.
 */
export function specmapBin() {
  const bin = join(WORK, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const [name, target] of [['specmap', CLI], ['specmap-record', RECORD]]) {
    const link = join(bin, name);
    chmodSync(target, 0o755);
    if (!existsSync(link)) symlinkSync(target, link);
  }
  return bin;
}

export const hookPath = () => [specmapBin(), dirname(process.execPath), process.env.PATH].join(delimiter);

/**
 * Installs the Claude Code hooks as a user does (`specmap init --claude`) and commits what that wrote, so the
 * tree is clean again and the plumbing baseline sees the same files. Returns the hook settings it wrote.
 */
export function installClaude(dir) {
  specmap(dir, ['init', '--claude']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'specmap init --claude']);
  return JSON.parse(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8'));
}

/** The plugin's hooks (hooks/hooks.json of the built CLI), with the root Claude Code gives plugins. */
export function pluginHooks() {
  return JSON.parse(readFileSync(join(CLI_DIR, 'hooks', 'hooks.json'), 'utf8'));
}

/**
 * The command Claude Code would run for `event` (a tool's name for the tool events; for PreToolUse of Bash also
 * the shell command, matched against each handler's `if` filter as `Bash(<prefix> *)`).
 */
export function hookCommand(settings, event, { tool, shell } = {}) {
  for (const group of settings.hooks?.[event] ?? []) {
    if (group.matcher && tool && !new RegExp(`^(?:${group.matcher})$`).test(tool)) continue;
    for (const h of group.hooks ?? []) {
      if (h.type !== 'command') continue;
      if (h.if && shell !== undefined) {
        const m = /^Bash\((.*) \*\)$/.exec(h.if);
        if (!m || !shell.startsWith(`${m[1]} `)) continue;
      }
      return h.command;
    }
  }
  return null;
}

/**
 * What a hook command starts: 'node' when it runs node (directly, or through a script whose first line names
 * node, such as the `specmap` link), otherwise 'sh'. It decides the floor a hook is measured against: the process
 * Claude Code spawns anyway (`sh -c true`), or Node's own start (`node -e 0`) for a hook that must start Node.
 */
export function commandKind(command, env) {
  const expanded = command.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => env[a ?? b] ?? '');
  const words = expanded.split(/[\s;&|()<>]+/).map((w) => w.replace(/^["']|["']$/g, '')).filter(Boolean);
  const dirs = (env.PATH ?? '').split(delimiter);
  for (const w of words) {
    if (w === 'node' || w === process.execPath) return 'node';
    const candidates = isAbsolute(w) ? [w] : w.includes('/') ? [] : dirs.map((d) => join(d, w));
    const file = candidates.find((c) => existsSync(c));
    if (!file || file.endsWith('.js') || file.endsWith('.mjs') || file.endsWith('.cjs')) {
      if (file) return 'node';
      continue;
    }
    const first = readFileSync(file, 'utf8').slice(0, 200).split('\n')[0];
    if (first.startsWith('#!') && /\bnode\b/.test(first)) return 'node';
  }
  return 'sh';
}

/**
 * Runs one Claude Code hook event the way Claude Code does: the hook's command through `sh -c`, in the project,
 * with the event as JSON on stdin and CLAUDE_PROJECT_DIR set. Returns the wall time (ms).
 */
export function runHook(command, dir, event, env) {
  return run('sh', ['-c', command], { cwd: dir, env, input: JSON.stringify({ cwd: dir, ...event }) }).ms;
}

/** The environment of hook commands: the bench's, `specmap` on PATH, the project dir, a private HOME. */
export function hookEnv(dir, home, extra = {}) {
  return benchEnv({ PATH: hookPath(), CLAUDE_PROJECT_DIR: dir, CLAUDE_PLUGIN_ROOT: CLI_DIR, HOME: home, SPECMAP_BACKGROUND: '0', ...extra });
}

/** A Claude Code transcript of about `bytes`: alternating prompts and answers, as JSONL. */
export function writeTranscript(path, bytes) {
  mkdirSync(dirname(path), { recursive: true });
  const lines = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const line = `${JSON.stringify(transcriptLine(i))}\n`;
    lines.push(line);
    size += line.length;
  }
  writeFileSync(path, lines.join(''));
}

export function transcriptLine(i, tag = '') {
  return i % 2 === 0
    ? { type: 'user', message: { role: 'user', content: `prompt ${tag}${i}: ${'lorem ipsum dolor sit amet '.repeat(40)}` } }
    : { type: 'assistant', message: { role: 'assistant', content: [{ type: 'text', text: `answer ${tag}${i}: ${'consectetur adipiscing elit '.repeat(80)}` }] } };
}
