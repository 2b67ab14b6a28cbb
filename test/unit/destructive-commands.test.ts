import { describe, expect, it } from 'vitest';
import { DESTRUCTIVE_COMMANDS, isDestructiveCommand } from '../../src/domain/agent/destructive-commands.js';
import { claudeBashFilters } from '../../src/domain/agent/agent-hook-specs.js';

describe('isDestructiveCommand', () => {
  it('finds a destructive simple command anywhere in a command line', () => {
    for (const c of [
      'rm -rf build', 'cd src && rm *.py', 'ls; git checkout -- .', 'git -C sub clean -fdx', 'FOO=1 sudo mv a b',
      'git stash', 'find . -name "*.tmp" -delete', 'find . -type f -exec rm {} +', "sed -i 's/a/b/' x.txt",
      'echo $(rm x)', '(cd a && git reset --hard)', 'xargs -0 rm < list', 'npm test || git restore src',
      '/bin/rm -f x', 'git -c core.x=y pull', 'cp template.env .env',
    ]) expect(isDestructiveCommand(c), c).toBe(true);
  });

  it('leaves ordinary commands alone, quotes included', () => {
    for (const c of [
      'ls -la', 'npm test', 'git status', 'git log --oneline', 'git diff', 'echo "rm -rf /"', "grep -r 'git reset' .",
      'find . -name "*.ts"', 'sed s/a/b/ x.txt', 'cat README.md | head', 'git commit -m "mv things"', 'node build.js',
    ]) expect(isDestructiveCommand(c), c).toBe(false);
  });

  it('gives Claude Code one hook filter per listed command, so it starts specmap for those alone', () => {
    const filters = claudeBashFilters();
    expect(filters).toHaveLength(DESTRUCTIVE_COMMANDS.length);
    expect(filters).toContain('Bash(git reset *)');
    expect(filters).toContain('Bash(rm *)');
  });
});
