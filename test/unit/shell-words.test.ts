import { describe, expect, it } from 'vitest';
import { shellWord } from '../../src/shared/path-text.js';
import { shellWords } from '../../src/shared/shell-words.js';

describe('shellWords (how --mcp-command and --hook-command lines are split)', () => {
  it.each([
    ['specmap mcp', ['specmap', 'mcp']],
    ["  '/opt/my tools/specmap'   mcp ", ['/opt/my tools/specmap', 'mcp']],
    ['"/opt/my tools/node" "/x/spec map.js" mcp', ['/opt/my tools/node', '/x/spec map.js', 'mcp']],
    ['/opt/my\\ tools/specmap mcp', ['/opt/my tools/specmap', 'mcp']],
    ['a"b c"d \'\'', ['ab cd', '']],
    ['"say \\"hi\\" \\\\ ok"', ['say "hi" \\ ok']],
  ])('splits %j', (line, words) => {
    expect(shellWords(line)).toEqual(words);
  });

  it('refuses an unmatched quote instead of guessing', () => {
    expect(() => shellWords("'/opt/x mcp")).toThrow(/unmatched '/);
    expect(() => shellWords('"/opt/x mcp')).toThrow(/unmatched "/);
  });

  it("reads back what shellWord quoted (a path with spaces, quotes and $)", () => {
    for (const p of ['plain', 'with space', "it's", 'cost $5 "now"']) expect(shellWords(shellWord(Buffer.from(p)))).toEqual([p]);
  });
});
