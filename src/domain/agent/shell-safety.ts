/**
 * Whether a shell command can destroy work in the project: removing, moving or overwriting files, or git commands
 * that throw away changes. Used before an agent runs a shell command, to take a safety checkpoint first. It errs on
 * the side of yes (a checkpoint of nothing changed costs nothing); a command that hides its effect (a script, `eval`)
 * is not caught here, and the turn's own checkpoint still records what it did.
 */
const PROGRAMS = new Set(['rm', 'rmdir', 'mv', 'cp', 'truncate', 'shred', 'unlink', 'dd', 'rsync']);
const GIT_SUBCOMMANDS = new Set(['checkout', 'restore', 'reset', 'clean', 'stash', 'switch', 'rm', 'mv', 'apply', 'am', 'rebase', 'merge', 'pull', 'cherry-pick', 'revert']);
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
  if (PROGRAMS.has(program)) return true;
  if (program === 'find') return args.includes('-delete') || args.some((a, k) => (a === '-exec' || a === '-execdir') && ['rm', 'mv', 'shred', 'unlink'].includes((args[k + 1] ?? '').split('/').pop()!));
  if (program === 'sed' || program === 'perl') return args.some((a) => a === '-i' || a.startsWith('-i') || a === '--in-place' || a.startsWith('--in-place='));
  if (program === 'git') {
    let k = 0;
    while (k < args.length && args[k]!.startsWith('-')) k += GIT_VALUE_OPTIONS.has(args[k]!) ? 2 : 1;
    return GIT_SUBCOMMANDS.has(args[k] ?? '');
  }
  return false;
}

/** True when `command` holds a simple command that may destroy files or uncommitted changes. */
export function isDestructiveCommand(command: string): boolean {
  return simpleCommands(command).some(isDestructiveSimple);
}

/** The command on one line, shortened for a checkpoint description. */
export function commandSummary(command: string, max = 60): string {
  const line = command.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
