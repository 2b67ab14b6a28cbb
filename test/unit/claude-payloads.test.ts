import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseClaudeEvent, type ClaudeHookEvent } from '../../src/adapters/hooks/claude-code.js';

// Payloads the real Claude Code (the dev dependency's version) sent to hooks, captured by test/agent/claude-code-real.test.ts.
const DIR = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'test/fixtures/claude');
const fixture = (name: string) => JSON.parse(readFileSync(join(DIR, `real-${name}.json`), 'utf8')) as ClaudeHookEvent;
const CONV = '00000000-0000-4000-8000-000000000000';

describe('real Claude Code hook payloads through parseClaudeEvent', () => {
  it('has a fixture for every event specmap listens to', () => {
    const names = readdirSync(DIR);
    for (const n of ['SessionStart-startup', 'SessionStart-resume', 'PostToolUse-Write', 'PostToolUse-Edit', 'Stop', 'SessionEnd']) expect(names).toContain(`real-${n}.json`);
  });

  it('reads each as the agent event it stands for', () => {
    expect(parseClaudeEvent(fixture('SessionStart-startup'), 'claude')).toEqual({ kind: 'session-start', conversation: CONV, agent: 'claude' });
    expect(parseClaudeEvent(fixture('SessionStart-resume'), 'claude')).toEqual({ kind: 'session-start', conversation: CONV, agent: 'claude', resumed: true });
    expect(parseClaudeEvent(fixture('PostToolUse-Write'), 'claude')).toEqual({ kind: 'file-written', conversation: CONV, agent: 'claude', file: '/repo/src/auth.py', action: 'created' });
    expect(parseClaudeEvent(fixture('PostToolUse-Write-subagent'), 'claude')).toEqual({ kind: 'file-written', conversation: CONV, agent: 'claude', file: '/repo/docs/notes.md', action: 'created' });
    // Edit's tool_response has no "type": specmap tells created from modified itself.
    expect(parseClaudeEvent(fixture('PostToolUse-Edit'), 'claude')).toEqual({ kind: 'file-written', conversation: CONV, agent: 'claude', file: '/repo/README.md' });
    const transcriptPath = `/home/user/.claude/projects/-repo/${CONV}.jsonl`;
    expect(parseClaudeEvent(fixture('Stop'), 'claude')).toEqual({ kind: 'turn-end', conversation: CONV, agent: 'claude', transcriptPath });
    expect(parseClaudeEvent(fixture('SessionEnd'), 'claude')).toEqual({ kind: 'session-end', conversation: CONV, transcriptPath });
    for (const other of ['PostToolUse-Bash', 'PostToolUse-Read', 'SubagentStop-subagent']) expect(parseClaudeEvent(fixture(other), 'claude').kind).toBe('other');
  });
});
