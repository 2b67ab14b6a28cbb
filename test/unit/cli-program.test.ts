import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, GROUPS, invokedCommand } from '../../src/adapters/cli/main.js';

const argv = (...words: string[]) => ['node', 'specmap', ...words];
const names = (program: Command) => program.commands.map((c) => c.name());

describe('building only the invoked command', () => {
  it("each group's list is exactly the top-level commands it registers", () => {
    for (const [register, listed] of GROUPS) {
      const program = new Command();
      register(program, () => async () => {});
      // help and completion are registered by their groups but read the whole program, so they are in no list.
      expect(names(program).filter((n) => n !== 'help' && n !== 'completion')).toEqual(listed);
    }
  });

  it('every command of the full program is in one list, except help and completion', () => {
    const listed = GROUPS.flatMap(([, n]) => n);
    expect(new Set(listed).size).toBe(listed.length);
    expect(names(buildProgram()).filter((n) => !listed.includes(n)).sort()).toEqual(['completion', 'help']);
  });

  it('only -C and --color take a value among the global options (invokedCommand skips their values)', () => {
    const takesValue = buildProgram().options.filter((o) => o.required || o.optional).map((o) => o.short ?? o.long);
    expect(takesValue).toEqual(['-C', '--color']);
  });

  it('finds the command after the global options, and gives up where in doubt', () => {
    expect(invokedCommand(argv('list'))).toBe('list');
    expect(invokedCommand(argv('-C', 'log', '--color', 'never', '--json', 'list', '-n', '3'))).toBe('list');
    expect(invokedCommand(argv('-Cdir', '--color=always', '-q', 'checkpoint', '@'))).toBe('checkpoint');
    expect(invokedCommand(argv('-qC', 'log', 'list'))).toBeUndefined();
    expect(invokedCommand(argv('--', 'list'))).toBeUndefined();
    expect(invokedCommand(argv('--help'))).toBeUndefined();
    expect(invokedCommand(argv())).toBeUndefined();
  });

  it("builds the invoked command's group alone, and every group for help, completion or an unknown word", () => {
    expect(names(buildProgram('log'))).toEqual(GROUPS[1]![1]);
    expect(names(buildProgram('restore'))).toEqual(['backup', 'restore']);
    const all = names(buildProgram());
    for (const word of ['help', 'completion', 'lgo', undefined]) expect(names(buildProgram(word))).toEqual(all);
  });
});
