import { Command, Help, type HelpContext } from 'commander';

/** The groups of `specmap --help`, in order. Plumbing commands are hidden there and listed by `specmap help plumbing`. */
export const GROUPS = {
  sessions: 'Sessions:',
  checkpoints: 'Checkpoints:',
  backups: 'Backups and restore:',
  sharing: 'Sharing:',
  integrations: 'Integrations:',
  maintenance: 'Maintenance:',
} as const;

/** Help never wraps wider than this, however wide the terminal: long lines are hard to read. */
const MAX_WIDTH = 100;
/** Terms (`--restore-checkpoint <session>`) wider than this get their description on the next line. */
const TERM_MAX = 26;

/** Lines of examples for `.addHelpText('after', …)`; each line must fit 80 columns (a test checks every command). */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => (l === '' ? '' : `  ${l}`)).join('\n')}`;
}

/** Commands with subcommands: their unknown or missing subcommand is one line naming the ones they take. */
export class SpecmapCommand extends Command {
  override createCommand(name?: string): Command {
    const cmd = new SpecmapCommand(name);
    // Commander's documented hook for an unknown subcommand (it only fires for commands that have subcommands and
    // no action of their own); the top level keeps commander's message with its "Did you mean …?".
    cmd.on('command:*', (operands: string[]) => {
      cmd.error(`${cmd.commandPath()} takes ${cmd.subcommandList()}, not ${JSON.stringify(operands[0])} (see specmap ${cmd.commandPath()} --help)`, {
        code: 'commander.unknownCommand',
      });
    });
    return cmd;
  }

  /** `backup offsite`, as the user types it after `specmap`. */
  commandPath(): string {
    const names: string[] = [];
    for (let c: Command | null = this; c?.parent; c = c.parent) names.unshift(c.name());
    return names.join(' ');
  }

  private subcommandList(): string {
    const names = this.createHelp().visibleCommands(this).map((c) => c.name()).filter((n) => n !== 'help');
    return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  }

  override help(context?: HelpContext | ((str: string) => string)): never {
    // Commander shows the whole help (on stderr) when a command with subcommands is given none; say it in one line.
    if (typeof context === 'object' && context.error && this.parent) {
      this.error(`${this.commandPath()} needs a command: ${this.subcommandList()} (see specmap ${this.commandPath()} --help)`, {
        code: 'commander.missingCommand',
      });
    }
    return super.help(context as HelpContext);
  }
}

/**
 * How every help page is laid out (`configureHelp`, inherited by every subcommand): wrapped at the terminal's width
 * (80 when not a terminal, at most 100), long terms on a line of their own instead of a description column too
 * narrow to wrap, command lists by name with a one-line summary, and the global options (-C, --json …) on every
 * subcommand's page.
 */
export const helpConfiguration: Partial<Help> = {
  showGlobalOptions: true,
  minWidthToWrap: 20,

  prepareContext(this: Help, context: { helpWidth?: number }) {
    this.helpWidth = Math.min(context.helpWidth ?? 80, MAX_WIDTH);
  },

  subcommandTerm(cmd: Command): string {
    // The top level lists names only; a group (`backup`, `restore`) shows what each of its commands takes.
    if (!cmd.parent?.parent) return cmd.name();
    const args = cmd.registeredArguments.map((a) => {
      const name = `${a.name()}${a.variadic ? '...' : ''}`;
      return a.required ? `<${name}>` : `[${name}]`;
    });
    return [cmd.name(), ...args].join(' ');
  },

  subcommandDescription(cmd: Command): string {
    return cmd.summary() || cmd.description();
  },

  visibleGlobalOptions(cmd: Command) {
    // The top level's options only: a group's own options (restore's spec-style flags) end at its subcommand.
    let root = cmd;
    while (root.parent) root = root.parent;
    return root === cmd ? [] : root.options.filter((o) => !o.hidden && o.long !== '--version');
  },

  formatHelp(this: Help, cmd: Command, helper: Help): string {
    // Option groups of their own (restore's "The spec's forms") come after the commands, not before them.
    const own = new Set(cmd.options.map((o) => o.helpGroupHeading).filter((h): h is string => h !== undefined && h !== 'Options:'));
    const blocks = Help.prototype.formatHelp.call(this, cmd, helper).replace(/\n+$/, '').split('\n\n');
    const late = blocks.filter((b) => own.has(b.split('\n')[0]!));
    return `${[...blocks.filter((b) => !late.includes(b)), ...late].join('\n\n')}\n`;
  },

  padWidth(this: Help, cmd: Command, helper: Help): number {
    return Math.min(Help.prototype.padWidth.call(this, cmd, helper), TERM_MAX);
  },

  formatItem(this: Help, term: string, termWidth: number, description: string, helper: Help): string {
    if (!description || helper.displayWidth(term) <= termWidth) return Help.prototype.formatItem.call(this, term, termWidth, description, helper);
    const indent = ' '.repeat(termWidth + 4);
    const wrapped = helper.boxWrap(description, (this.helpWidth ?? 80) - indent.length).replace(/\n/g, `\n${indent}`);
    return `  ${term}\n${indent}${wrapped}`;
  },
};

/** `specmap help plumbing`: the hidden commands hooks and scripts run, each with its summary. */
export function plumbingHelp(program: Command): string {
  const help = program.createHelp();
  help.prepareContext({ helpWidth: process.stdout.isTTY ? process.stdout.columns : undefined });
  const visible = new Set(help.visibleCommands(program));
  const hidden = program.commands.filter((c) => !visible.has(c));
  const terms = hidden.map((c) => [c.name(), ...c.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`))].join(' '));
  const width = Math.min(Math.max(...terms.map((t) => t.length)), TERM_MAX);
  return [
    'Plumbing: what git hooks, agent hooks and shell completion run. specmap --help',
    'leaves them out; they work like any other command, and each takes --help.',
    '',
    'Commands:',
    ...hidden.map((c, i) => help.formatItem(terms[i]!, width, c.summary() || c.description(), help)),
    '',
  ].join('\n');
}
