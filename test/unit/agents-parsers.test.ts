import { describe, expect, it } from 'vitest';
import { isPatch, patchedFiles } from '../../src/domain/agent/payloads/apply-patch.js';
import { codexAdapter } from '../../src/adapters/hooks/codex.js';
import { copilotAdapter } from '../../src/adapters/hooks/copilot.js';
import { cursorAdapter } from '../../src/adapters/hooks/cursor.js';
import { geminiAdapter } from '../../src/adapters/hooks/gemini.js';
import { parseClaudeEvent } from '../../src/adapters/hooks/claude-code.js';
import { claudeBashFilters, defaultHookCommand } from '../../src/domain/agent/agent-hook-specs.js';
import { isOurCommand, sameJson } from '../../src/domain/agent/hook-config.js';

describe('patchedFiles (Codex apply_patch)', () => {
  it('reads added, updated and moved files from the headers; deletions are left to the turn diff', () => {
    const patch = [
      '*** Begin Patch',
      '*** Add File: src/new.py',
      '+print("hi")',
      '+*** Update File: not/a/header.txt',
      '*** Update File: src/a.js',
      '@@ function a',
      ' *** Add File: context/line.txt',
      '-x',
      '+y',
      '*** Delete File: src/old.js',
      '*** Update File: src/from.js',
      '*** Move to: lib/to.js',
      '@@',
      '-1',
      '+2',
      '*** Update File: src/a.js',
      '*** End Patch',
    ].join('\r\n');
    expect(isPatch(patch)).toBe(true);
    expect(patchedFiles(patch)).toEqual([
      { file: 'src/new.py', action: 'created' },
      { file: 'src/a.js', action: 'modified' },
      { file: 'lib/to.js', action: 'created' },
    ]);
    expect(patchedFiles('echo hi')).toEqual([]);
    expect(isPatch('git status')).toBe(false);
  });
});

describe('agent payload parsers', () => {
  it('Claude Code: UserPromptSubmit is turn-start, PreToolUse of Bash is before-shell, other tools are nothing', () => {
    expect(parseClaudeEvent({ session_id: 's', hook_event_name: 'UserPromptSubmit', prompt: 'do it' }, 'claude')).toEqual({ kind: 'turn-start', conversation: 's', agent: 'claude', prompt: 'do it' });
    expect(parseClaudeEvent({ session_id: 's', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf x' } }, 'claude')).toEqual({ kind: 'before-shell', conversation: 's', agent: 'claude', command: 'rm -rf x' });
    expect(parseClaudeEvent({ session_id: 's', hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: '/x' } }, 'claude')).toEqual({ kind: 'other' });
  });

  it('Codex: a shell-run patch is files written too; a Bash PreToolUse that only applies a patch is no shell command', () => {
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+a\n*** End Patch';
    const post = codexAdapter.parse({ session_id: 't', hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: `apply_patch <<'EOF'\n${patch}\nEOF` } }, 'codex');
    expect(post.events).toEqual([{ kind: 'file-written', conversation: 't', agent: 'codex', file: 'a.txt', action: 'created' }]);
    const pre = codexAdapter.parse({ session_id: 't', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: patch } }, 'codex');
    expect(pre.events).toEqual([{ kind: 'other' }]);
    expect(codexAdapter.parse({ hook_event_name: 'Stop' }, 'codex').events[0]).toMatchObject({ kind: 'other', note: expect.stringMatching(/without a session id/) });
    expect(codexAdapter.stdout({ events: [], hookEvent: 'Stop' }, null)).toBe('{"continue":true}');
    expect(codexAdapter.stdout({ events: [], hookEvent: 'UserPromptSubmit' }, null)).toBeUndefined();
  });

  it('Gemini CLI: resume from `source` or `trigger`; AfterAgent carries the prompt; only file tools write files', () => {
    expect(geminiAdapter.parse({ session_id: 'g', hook_event_name: 'SessionStart', trigger: 'resume' }, 'gemini').events[0]).toMatchObject({ kind: 'session-start', resumed: true });
    expect(geminiAdapter.parse({ session_id: 'g', hook_event_name: 'AfterAgent', prompt: 'p' }, 'gemini').events[0]).toEqual({ kind: 'turn-end', conversation: 'g', agent: 'gemini', prompt: 'p' });
    expect(geminiAdapter.parse({ session_id: 'g', hook_event_name: 'AfterTool', tool_name: 'read_file', tool_input: { file_path: '/a' } }, 'gemini').events[0]).toEqual({ kind: 'other' });
    expect(geminiAdapter.parse({ session_id: 'g', hook_event_name: 'AfterTool', tool_name: 'replace', tool_input: { file_path: '/a' } }, 'gemini').events[0]).toMatchObject({ kind: 'file-written', file: '/a' });
  });

  it('Cursor: conversation_id or session_id; always a JSON answer, never a permission', () => {
    expect(cursorAdapter.parse({ session_id: 'c', hook_event_name: 'sessionEnd' }, 'cursor').events[0]).toEqual({ kind: 'session-end', conversation: 'c' });
    expect(cursorAdapter.stdout({ events: [], hookEvent: 'beforeShellExecution' }, null)).toBe('{}');
    expect(cursorAdapter.stdout({ events: [], hookEvent: 'sessionStart' }, null)).toBe('{}');
  });

  it('Copilot CLI: toolArgs as a JSON string or an object; the event from the payload, else from --event', () => {
    const asString = copilotAdapter.parse({ sessionId: 'k', toolName: 'bash', toolArgs: '{"command":"git clean -fd"}' }, 'copilot', 'preToolUse');
    expect(asString.events).toEqual([{ kind: 'before-shell', conversation: 'k', agent: 'copilot', command: 'git clean -fd' }]);
    const pascal = copilotAdapter.parse({ session_id: 'k', hook_event_name: 'PreToolUse', tool_name: 'bash', tool_input: { command: 'ls' } }, 'copilot', 'sessionStart');
    expect(pascal.events[0]).toMatchObject({ kind: 'before-shell', command: 'ls' });
    expect(copilotAdapter.parse({ sessionId: 'k' }, 'copilot').events[0]).toMatchObject({ kind: 'other', note: expect.stringMatching(/--event/) });
  });
});

describe('hook config helpers', () => {
  it('knows its own commands in every spelling, and nothing else', () => {
    for (const c of ['specmap agent-hook', 'specmap agent-hook codex', defaultHookCommand('cursor')(''), '"/opt/my tools/node" /opt/specmap/dist/bin/specmap.js agent-hook', 'node /opt/specmap/dist/bin/specmap.cjs agent-hook', 'npx specmap agent-hook gemini']) expect(isOurCommand(c)).toBe(true);
    for (const c of ['echo specmap', 'specmap checkpoint @ x', 'my-specmap agent-hook', 42]) expect(isOurCommand(c)).toBe(false);
  });

  it('builds Claude Code filters from the one destructive-command list; compares JSON whatever the key order', () => {
    expect(claudeBashFilters()).toContain('Bash(git stash *)');
    expect(claudeBashFilters()).toContain('Bash(rm *)');
    expect(sameJson({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});
