/**
 * Shell commands that can destroy work in the working tree: before an agent runs one, specmap takes a safety
 * checkpoint. Plain data (a program, optionally its subcommand), so every agent's hook filter is generated from the
 * one list: Claude Code's `if` rules (`Bash(git reset *)`) today, other agents' matchers where they can filter.
 */
export interface DestructiveCommand {
  program: string;
  subcommand?: string;
  /** Destructive only with these arguments: `find` that deletes, `sed -i` that rewrites files in place. */
  only?: 'deletes' | 'in-place';
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
  { program: 'git', subcommand: 'mv' },
  { program: 'git', subcommand: 'apply' },
  { program: 'git', subcommand: 'am' },
  { program: 'git', subcommand: 'rebase' },
  { program: 'git', subcommand: 'merge' },
  { program: 'git', subcommand: 'pull' },
  { program: 'git', subcommand: 'cherry-pick' },
  { program: 'git', subcommand: 'revert' },
  { program: 'find', only: 'deletes' },
  { program: 'sed', only: 'in-place' },
  { program: 'perl', only: 'in-place' },
  { program: 'truncate' },
  { program: 'shred' },
  { program: 'unlink' },
  { program: 'dd' },
  { program: 'rsync' },
];

/*
 * Whether a command line may destroy work: any of its simple commands (split at ; && || | ( ) $( ` and newlines,
 * past VAR=value, sudo, env, xargs …) is one of the above. It errs on the side of yes — a safety checkpoint of
 * nothing changed costs nothing — and a command that hides its effect (a script, eval) is not caught: the turn's own
 * checkpoint still records what it did.
 */


/** Words that run the command after them. */
const PREFIXES = new Set(['sudo', 'command', 'exec', 'nohup', 'time', 'nice', 'env', 'xargs', 'builtin']);
/** git's global options that take a value as the next word. */
const GIT_VALUE_OPTIONS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

/** The simple commands of a command line, each as its words (quotes removed, roughly as a shell would). */
function simpleCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c) && c !== '\n') endWord();
    else if (c === ';' || c === '&' || c === '|' || c === '\n' || c === '(' || c === ')' || c === '`' || c === '{' || c === '}') endCommand();
    else if (c === '$' && line[i + 1] === '(') {
      endCommand();
      i++;
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

function isDestructiveSimple(words: string[]): boolean {
  let i = 0;
  while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || PREFIXES.has(words[i]!) || (i > 0 && words[i]!.startsWith('-') && PREFIXES.has(words[i - 1]!)))) i++;
  const program = (words[i] ?? '').split('/').pop()!;
  const args = words.slice(i + 1);
  let sub = 0;
  if (program === 'git') while (sub < args.length && args[sub]!.startsWith('-')) sub += GIT_VALUE_OPTIONS.has(args[sub]!) ? 2 : 1;
  return DESTRUCTIVE_COMMANDS.some((c) => c.program === program && (c.subcommand === undefined || c.subcommand === args[sub]) && (c.only === undefined || ONLY[c.only](args)));
}

const ONLY: Record<NonNullable<DestructiveCommand['only']>, (args: string[]) => boolean> = {
  deletes: (args) => args.includes('-delete') || args.some((a, k) => (a === '-exec' || a === '-execdir') && ['rm', 'mv', 'shred', 'unlink'].includes((args[k + 1] ?? '').split('/').pop()!)),
  'in-place': (args) => args.some((a) => a.startsWith('-i') || a === '--in-place' || a.startsWith('--in-place=')),
};

/** True when `command` holds a simple command that may destroy files or uncommitted changes. */
export function isDestructiveCommand(command: string): boolean {
  return simpleCommands(command).some(isDestructiveSimple);
}

/** The command on one line, shortened for a checkpoint description. */
export function commandSummary(command: string, max = 60): string {
  const line = command.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
