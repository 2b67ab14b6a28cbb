/**
 * Shell commands that can destroy work in the working tree: before an agent runs one, specmap takes a safety
 * checkpoint. Plain data (a program, optionally its subcommand), so every agent's hook filter is generated from the
 * one list: Claude Code's `if` rules (`Bash(git reset *)`) today, other agents' matchers where they can filter.
 */
export interface DestructiveCommand {
  program: string;
  subcommand?: string;
}

export const DESTRUCTIVE_COMMANDS: readonly DestructiveCommand[] = [
  { program: 'rm' },
  { program: 'rmdir' },
  { program: 'mv' },
  { program: 'cp' },
  { program: 'git', subcommand: 'checkout' },
  { program: 'git', subcommand: 'restore' },
  { program: 'git', subcommand: 'reset' },
  { program: 'git', subcommand: 'clean' },
  { program: 'git', subcommand: 'stash' },
  { program: 'git', subcommand: 'switch' },
  { program: 'git', subcommand: 'rm' },
  { program: 'find' },
  { program: 'truncate' },
  { program: 'shred' },
  { program: 'unlink' },
];
