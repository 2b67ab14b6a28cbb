import { describe, expect, it } from 'vitest';
import { relativePathProblem, storedPathProblem } from '../../src/shared/relative-path.js';

describe('relativePathProblem (the one check of stored relative paths)', () => {
  it.each([
    ['', 'it is empty'],
    ['/etc/passwd', 'it is an absolute path'],
    ['C:evil', 'it is an absolute path'],
    ['a\0b', 'it holds a NUL byte'],
    ['../x', "it has a '..' component"],
    ['a/../../x', "it has a '..' component"],
  ])('refuses %j whatever the rules', (path, problem) => {
    expect(relativePathProblem(path)).toBe(problem);
    expect(relativePathProblem(path, { exactComponents: true, noBackslash: true, noDotGit: true })).toBe(problem);
  });

  it('applies the stricter rules only when asked', () => {
    for (const [path, rules] of [['a//b', { exactComponents: true }], ['./a', { exactComponents: true }], ['dir/', { exactComponents: true }], ['a\\b', { noBackslash: true }], ['.GIT/config', { noDotGit: true }]] as const) {
      expect(relativePathProblem(path)).toBeUndefined();
      expect(relativePathProblem(path, rules)).toBeDefined();
    }
  });

  it('refuses a .git component anywhere, in any case, under the stored-path rules (one rule set for every caller)', () => {
    for (const path of ['.git/config', '.GIT/hooks/pre-commit', 'sub/.git/config', 'a/b/.Git']) {
      expect(relativePathProblem(path, { noDotGit: true })).toBe('it is inside .git');
      expect(storedPathProblem(path)).toBe('it is inside .git');
    }
    expect(storedPathProblem('x/../.git/config')).toBe("it has a '..' component");
    expect(storedPathProblem('./a')).toBeDefined();
    expect(storedPathProblem('a\\b')).toBeUndefined();
  });

  it('accepts ordinary names, dots inside names, and non-UTF-8 bytes as latin1 text', () => {
    for (const path of ['a.txt', 'src/a..b/c', '...', 'caf\xe9.txt', '.gitignore', 'sub/.git-keep']) {
      expect(relativePathProblem(path, { exactComponents: true, noBackslash: true, noDotGit: true })).toBeUndefined();
    }
  });
});
