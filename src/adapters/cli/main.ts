import { Command, CommanderError } from 'commander';
import { forgetPrefetchedRepositories, prefetchRepository } from '../../api/repo-prefetch.js';
import { asSpecmapError, EXIT_CODES } from '../../shared/errors.js';
import { settings } from '../../shared/settings.js';
import { cliMessage } from './hints.js';
import { commandContext, type GlobalFlags } from './output.js';
import { registerBackups } from './program/backups.js';
import { registerCheckpoints } from './program/checkpoints.js';
import { helpConfiguration, SpecmapCommand } from './program/help.js';
import { registerIntegrations } from './program/integrations.js';
import { registerMaintenance } from './program/maintenance.js';
import { registerPlumbing } from './program/plumbing.js';
import { registerSessions } from './program/sessions.js';
import { registerSharing } from './program/sharing.js';
import type { Loader, Register } from './program/types.js';
import { opt } from './program/values.js';
import { version } from './version.js';

/** Commands that open no project in their folder: the shell's completion script, the demo, the MCP server, agent hooks (the payload names the folder). */
const NO_PROJECT_HERE = new Set(['completion', 'demo', 'mcp', 'agent-hook']);

/** Each command lives in its own module, imported only when it runs, so start-up stays lean for hooks. */
function action(program: Command, load: Loader) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = commandContext(program.opts<GlobalFlags>());
    // The repository is looked up while the command's modules load (the commands that open no project here skip it).
    if (!NO_PROJECT_HERE.has(cmd.name())) prefetchRepository(ctx.cwd ?? process.cwd());
    const mod = await load();
    // Commander passes the positional arguments, then the command's options object, then the command.
    await mod.run(ctx, ...args.slice(0, -2), cmd.opts());
  };
}

/** Commander's error message as our one line: without its "error: " and its line breaks. */
const oneLine = (message: string) => message.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ');

/**
 * The whole command line: the global options, then the commands by group (src/adapters/cli/program/: each command's
 * arguments, options, examples and lazy module, nothing heavy). The shell completion scripts are generated from it.
 * Given the `command` about to run, only its group is built (building them all is 3–6 ms of every start).
 */
export function buildProgram(command?: string): Command {
  const program = new SpecmapCommand('specmap')
    .description('Organised, recoverable sessions for AI-assisted coding, backed by git')
    .version(version(), '-V, --version')
    .addOption(opt('-C <dir>', 'run as if specmap was started in <dir>', 'dir'))
    .option('--json', 'print machine-readable JSON')
    .option('-q, --quiet', 'print nothing but errors (and the JSON result under --json)')
    .option('-v, --verbose', 'more detail where a command has it (every file of a checkpoint or restore, every ref of a push)')
    .addOption(opt('--color <when>', "colour log, show, diff and replay: auto (git's color.ui, NO_COLOR, FORCE_COLOR, a terminal), always or never").choices(['auto', 'always', 'never']))
    .option('--no-pager', 'do not page log, show, diff and replay (core.pager, else PAGER, else less -FRX, on a terminal)')
    .exitOverride()
    .showSuggestionAfterError()
    .configureHelp(helpConfiguration)
    .configureOutput({ outputError: (str, write) => write(`specmap: ${oneLine(str)}\n`) })
    .addHelpText('after', `
Every command takes -C <dir>, --json, -q, -v, --color and --no-pager. A session
is its id, a unique prefix or @ (the only active one); a checkpoint is
<session>:<id, prefix or ~N>.
Plumbing (git and agent hooks, completion): specmap help plumbing.
Shell completion: specmap completion bash|zsh|fish (see its --help).`);

  const on = (load: Loader) => action(program, load);
  const group = command === undefined ? undefined : GROUPS.find(([, names]) => names.includes(command));
  for (const [register] of group ? [group] : GROUPS) register(program, on);
  return program;
}

/**
 * The groups in the order help lists them, each with the top-level commands it registers (a unit test holds the
 * lists to what the groups register). `help` and `completion` are in no list: they read the whole program.
 */
export const GROUPS: readonly (readonly [Register, readonly string[]])[] = [
  [registerSessions, ['init', 'start', 'track', 'list', 'show', 'end', 'fork', 'compare', 'template', 'report']],
  [registerCheckpoints, ['checkpoint', 'log', 'diff', 'replay', 'merge', 'blame', 'stats']],
  [registerBackups, ['backup', 'restore']],
  [registerSharing, ['push', 'pull', 'renumber']],
  [registerIntegrations, ['hooks', 'skill', 'mcp']],
  [registerMaintenance, ['doctor', 'du', 'gc', 'demo']],
  [registerPlumbing, ['hook', 'agent-hook', 'complete-backups', '__complete']],
];

/**
 * The command `argv` (as process.argv) runs, if it can be told without commander: the first word after the global
 * options. Undefined where in doubt (a `--`, short flags run together); the caller then builds every command.
 */
export function invokedCommand(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-C' || a === '--color') i++;
    else if (a === '--' || (/^-[^-]{2,}/.test(a) && !a.startsWith('-C'))) return undefined;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** Runs the CLI on `argv` (as process.argv) and returns the exit status; the binary's one top-level catch. */
export async function main(argv: string[]): Promise<number> {
  try {
    // Every SPECMAP_* number and date is checked before anything runs: a bad one is a usage error naming it.
    settings();
    await buildProgram(invokedCommand(argv)).parseAsync(argv);
    // A command may report failure through its exit status alone (verify, hook), having printed its result.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message (or the help/version text); under --json the error is also JSON.
      if (err.exitCode === 0) return 0;
      if (argv.includes('--json')) {
        const message = err.code === 'commander.help' ? 'no command given (specmap --help lists them)' : oneLine(err.message);
        printJsonError({ code: 'USAGE', exitCode: EXIT_CODES.USAGE, message });
      }
      return EXIT_CODES.USAGE;
    }
    const known = asSpecmapError(err);
    if (known) {
      const message = cliMessage(known);
      process.stderr.write(`specmap: ${message}\n`);
      if (argv.includes('--json')) printJsonError({ code: known.code, exitCode: known.exitCode, message });
      return known.exitCode;
    }
    const e = err as Error;
    process.stderr.write(`specmap: internal error: ${e?.message ?? String(err)} (please report this at the specmap issue tracker)\n`);
    if (settings().debug) process.stderr.write(`${e?.stack ?? ''}\n`);
    return 1;
  } finally {
    forgetPrefetchedRepositories();
  }
}


/** The JSON copy of an error under --json, on stdout: `{ "error": { "code", "exitCode", "message" } }`. */
function printJsonError(error: { code: string; exitCode: number; message: string }): void {
  process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
}
