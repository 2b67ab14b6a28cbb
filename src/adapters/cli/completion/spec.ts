import type { Argument, Command, Option } from 'commander';
import { valuesOf, type Values } from '../program/values.js';

/**
 * How the scripts encode what a value takes: '-' free text (nothing to offer), 'w:<words>' these words, 'f' files,
 * 'd' folders, 'r' git remotes, 'b' git branches, 'x:<kind>' what `specmap __complete <kind>` prints.
 */
export type ValueCode = string;

export interface SpecOption {
  names: string[];
  /** '' for a flag, else what its value takes. */
  value: '' | ValueCode;
  description: string;
}

export interface SpecCommand {
  /** The command as typed: 'specmap', 'specmap backup prune'. */
  key: string;
  subcommands: { name: string; summary: string; hidden: boolean }[];
  options: SpecOption[];
  /** What each positional argument takes; the last one repeats when `variadic`. */
  args: ValueCode[];
  variadic: boolean;
}

/** The program's commands, options and arguments as the completion scripts need them. */
export interface CompletionSpec {
  name: string;
  commands: SpecCommand[];
  /** The top level's options, which every command takes (-C, --json …), help and version left out. */
  global: SpecOption[];
}

function code(values: Values | undefined): ValueCode {
  if (values === undefined) return '-';
  if (typeof values === 'object') return `w:${values.suggest.join(' ')}`;
  const short: Partial<Record<string, string>> = { file: 'f', dir: 'd', remote: 'r', branch: 'b' };
  return short[values] ?? `x:${values}`;
}

const firstLine = (text: string) => text.split('\n')[0]!;

function option(o: Option): SpecOption {
  const names = [o.short, o.long].filter((n): n is string => Boolean(n));
  return { names, value: o.required || o.optional ? code(valuesOf(o)) : '', description: firstLine(o.description) };
}

const HELP: SpecOption = { names: ['-h', '--help'], value: '', description: 'display help for command' };

/** Walks the commander program: what `specmap completion <shell>` turns into a script. */
export function completionSpec(program: Command): CompletionSpec {
  const help = program.createHelp();
  const commands: SpecCommand[] = [];
  const walk = (cmd: Command, key: string) => {
    const visible = new Set(help.visibleCommands(cmd));
    const args = cmd.registeredArguments as readonly Argument[];
    commands.push({
      key,
      subcommands: cmd.commands.map((c) => ({ name: c.name(), summary: firstLine(c.summary() || c.description()), hidden: !visible.has(c) })),
      options: [...(cmd === program ? [] : cmd.options.filter((o) => !o.hidden).map(option)), HELP],
      args: args.map((a) => code(valuesOf(a))),
      variadic: args.length > 0 && args[args.length - 1]!.variadic,
    });
    for (const sub of cmd.commands) walk(sub, `${key} ${sub.name()}`);
  };
  walk(program, program.name());
  const root = commands[0]!;
  const global = program.options.filter((o) => !o.hidden && o.long !== '--version').map(option);
  root.options.push(...program.options.filter((o) => o.long === '--version').map(option));
  return { name: program.name(), commands, global };
}
