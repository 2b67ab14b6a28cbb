import { Command, CommanderError, Option } from 'commander';
import { asSpecmapError } from '../../shared/errors.js';
import { settings } from '../../shared/settings.js';
import { cliMessage } from './hints.js';
import { commandContext, type CommandContext, type GlobalFlags } from './output.js';
import { version } from './version.js';

/** Each command lives in its own module, imported only when it runs, so start-up stays lean for hooks. */
type Loader = () => Promise<{ run: (ctx: CommandContext, ...args: any[]) => Promise<void> }>;

const COMMANDS = {
  init: () => import('./commands/init.js'),
  start: () => import('./commands/start.js'),
  track: () => import('./commands/track.js'),
  list: () => import('./commands/list.js'),
  show: () => import('./commands/show.js'),
  end: () => import('./commands/end.js'),
  checkpoint: () => import('./commands/checkpoint.js'),
  log: () => import('./commands/log.js'),
  diff: () => import('./commands/diff.js'),
  restore: () => import('./commands/restore.js'),
  hooks: () => import('./commands/hooks.js'),
  hook: () => import('./commands/hooks.js').then((m) => ({ run: m.runHook })),
  'agent-hook': () => import('./commands/agent-hook.js'),
  'complete-backups': () => import('./commands/complete-backups.js'),
  skill: () => import('./commands/skill.js'),
  backup: () => import('./commands/backup.js'),
  doctor: () => import('./commands/doctor.js'),
  du: () => import('./commands/du.js'),
  gc: () => import('./commands/gc.js'),
  push: () => import('./commands/sync.js').then((m) => ({ run: m.runPush })),
  pull: () => import('./commands/sync.js').then((m) => ({ run: m.runPull })),
  renumber: () => import('./commands/sync.js').then((m) => ({ run: m.runRenumber })),
  template: () => import('./commands/template.js'),
  merge: () => import('./commands/merge.js'),
  replay: () => import('./commands/replay.js'),
  report: () => import('./commands/report.js'),
  mcp: () => import('./commands/mcp.js'),
  demo: () => import('./commands/demo.js'),
} satisfies Record<string, Loader>;

function action(program: Command, load: Loader) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = commandContext(program.opts<GlobalFlags>());
    const mod = await load();
    // Commander passes the positional arguments, then the command's options object, then the command.
    await mod.run(ctx, ...args.slice(0, -2), cmd.opts());
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function buildProgram(): Command {
  const program = new Command('specmap')
    .description('Organised, recoverable sessions for AI-assisted coding, backed by git')
    .version(version(), '-V, --version')
    .option('-C <dir>', 'run as if specmap was started in <dir>')
    .option('--json', 'print machine-readable JSON')
    .option('-q, --quiet', 'print nothing but errors (and the JSON result under --json)')
    .option('-v, --verbose', 'more detail where a command has it (every file of a checkpoint or restore, every ref of a push)')
    .addOption(new Option('--color <when>', "colour log, show, diff and replay: auto (git's color.ui, NO_COLOR, FORCE_COLOR, a terminal), always or never").choices(['auto', 'always', 'never']))
    .option('--no-pager', 'do not page log, show, diff and replay (core.pager, else PAGER, else less -FRX, on a terminal)')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (str, write) => write(`specmap: ${str.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`) });

  program.command('init')
    .description('create the 04-agents/ layout and git-ignore 04-agents/backups/; with agent flags, set up their hooks')
    .option('--claude', 'also add the Claude Code hooks to .claude/settings.json and the MCP server to .mcp.json (merged, never clobbered)')
    .option('--codex', 'also add the Codex CLI hooks to .codex/hooks.json')
    .option('--gemini', 'also add the Gemini CLI hooks to .gemini/settings.json')
    .option('--cursor', 'also add the Cursor hooks to .cursor/hooks.json')
    .option('--copilot', 'also add the GitHub Copilot CLI hooks to .github/hooks/specmap.json')
    .option('--status', "with agent flags: show whether each event's hook is installed, outdated or missing (changes nothing)")
    .option('--uninstall', "with agent flags: remove specmap's hooks (and for --claude its MCP entry), keeping everything else")
    .option('--hook-command <cmd>', 'the command the agent runs for each event, written as given (one agent at a time; default: specmap agent-hook <agent>, guarded for machines without specmap)')
    .option('--mcp-command <cmd>', 'the command .mcp.json starts the MCP server with', 'specmap mcp')
    .action(action(program, COMMANDS.init));

  program.command('start')
    .description('start a session: workspace folder, session.yaml and refs/sessions/<id>')
    .argument('<focus>', 'what the session is about (becomes part of its id)')
    .argument('[agent]', 'the AI agent working in it', 'claude')
    .option('--meta <key=value>', 'extra metadata (repeatable)', collect)
    .option('--template <name>', 'start the workspace from a template (specify, plan, implement, qa, or 04-agents/templates/<name>/)')
    .action(action(program, COMMANDS.start));

  program.command('track')
    .description('record a file the session created or modified')
    .argument('<session>', 'session id, unique prefix, or @ for the only active one')
    .argument('<file>', 'the file (relative to the current directory, or absolute)')
    .addArgument(new Command().createArgument('<action>', 'created or modified').choices(['created', 'modified']))
    .action(action(program, COMMANDS.track));

  program.command('list')
    .description('list active sessions')
    .option('-a, --all', 'include archived (completed) sessions')
    .option('--remote [name]', "sessions fetched by 'specmap pull' (from every remote, or one)")
    .option('--user <who>', 'only sessions whose user (git name <email>) contains this')
    .action(action(program, COMMANDS.list));

  program.command('show')
    .description("show a session's metadata, artifacts, checkpoints and metrics, or one checkpoint with its patch")
    .argument('<session[:checkpoint]>', 'session id, unique prefix, or @; with :<checkpoint> (id, prefix or ~N) one checkpoint')
    .option('--transcript', "with a checkpoint: the agent's prompts that led to it")
    .action(action(program, COMMANDS.show));

  program.command('checkpoint')
    .description('commit the working state to the session: a tagged git commit, without touching index or HEAD')
    .argument('<session>', 'session id, unique prefix, or @')
    .argument('<description>', 'what this state is ("Auth implemented")')
    .argument('[files...]', 'only these files or folders (default: every change since the previous checkpoint)')
    .option('--allow-empty', 'write a checkpoint even when nothing changed')
    .option('-v, --verbose', 'list every file, not the first ten and a count')
    .action(action(program, COMMANDS.checkpoint));

  program.command('log')
    .description("a session's checkpoints, newest first, like git log")
    .argument('[session]', 'session id, unique prefix, or @ (the default)')
    .option('--oneline', 'one line per checkpoint')
    .option('--stat', 'files changed, with counts')
    .option('-p, --patch', 'the patch of each checkpoint')
    .option('-n, --max-count <N>', 'at most N checkpoints')
    .option('-a, --all', 'every session, merged by time')
    .action(action(program, COMMANDS.log));

  program.command('diff')
    .description('what changed between two checkpoints, or between a checkpoint and the working tree')
    .argument('<from>', '<session>:<checkpoint> (checkpoint: id, unique prefix, or ~N)')
    .argument('[to]', 'another checkpoint (a bare one is in the same session); default: the working tree')
    .option('--stat', 'a summary instead of the patch')
    .action(action(program, COMMANDS.diff));

  program.command('backup')
    .description('project backups: daily, milestone <name>, list, verify [<backup>|--all], prune; offsite push|pull|list|verify [<remote>] (through rclone)')
    .addArgument(new Command().createArgument('<action>', 'daily, milestone, list, verify, prune or offsite').choices(['daily', 'milestone', 'list', 'verify', 'prune', 'offsite']))
    .argument('[name]', 'milestone: its name; verify: a date, milestone name or session id (default: all); offsite: push, pull, list or verify')
    .argument('[remote]', 'offsite: an rclone remote (mycloud:specmap/project) or a folder (default: backup.offsite in 04-agents/config.yaml)')
    .option('-f, --force', 'milestone: replace an existing one')
    .option('--all', 'verify: every backup (the default)')
    .option('--keep-daily <N>', 'prune: daily backups to keep (default 14)')
    .option('--keep-milestones <N>', 'prune: milestones to keep (default: all)')
    .option('--sessions <N>', 'prune: session ZIPs of archived sessions to keep (default: all)')
    .option('--dry-run', 'prune: show what would be deleted, delete nothing')
    .option('--rehash', 'offsite push: download and hash the remote ZIPs first, and send again any that fails its record')
    .action(action(program, COMMANDS.backup));

  program.command('du')
    .description("what specmap costs on disk: per session its checkpoints' git objects, transcript, ZIP and folder; backups; loose objects")
    .argument('[session]', 'only this session (id, unique prefix, or @)')
    .action(action(program, COMMANDS.du));

  program.command('gc')
    .description('apply the retention policy: drop old session ZIPs git still holds, covered safety snapshots; pack loose objects past gc.auto')
    .option('--keep-session-zips <N>', 'keep the N newest ZIPs of archived sessions (default: retention.session_zips, else 10)')
    .option('--older-than <days>', 'keep session ZIPs younger than this many days (default: retention.session_zip_days, else no age rule)')
    .option('--keep-daily <N>', 'also prune daily backups to the N newest (default: retention.daily, else none pruned)')
    .option('--keep-milestones <N>', 'also prune milestones to the N newest (default: retention.milestones, else none pruned)')
    .option('--safety-older-than <days>', 'drop safety snapshots older than this whose content other refs hold (default: retention.safety_days, else 30)')
    .option('--drop-unique-safety', 'with --safety-older-than: also drop old safety snapshots that hold content nothing else has')
    .option('--dry-run', 'show what would be removed and packed, change nothing')
    .action(action(program, COMMANDS.gc));

  program.command('restore')
    .description('list and restore checkpoints and session backups (from git, or from the ZIPs when git lost them)')
    .argument('[args...]', 'with --restore-checkpoint: <checkpoint> [paths...]')
    .option('--list-backups', 'list the session ZIP backups (daily and milestone backups: specmap backup list)')
    .option('--restore-backup <session>', 'extract a session ZIP to sessions/active/<id>-restored/')
    .option('--list-checkpoints <session>', "list a session's checkpoints and where their files can be read from")
    .option('--restore-checkpoint <session>', 'restore a checkpoint (next argument) to sessions/active/<id>-<checkpoint>-restored/')
    .option('--restore-daily <date>', 'restore a daily backup (YYYY-MM-DD) to 04-agents/backups/restored/daily-<date>/')
    .option('--restore-milestone <name>', 'restore a milestone backup to 04-agents/backups/restored/milestone-<name>/')
    .option('--to <dir>', 'with --restore-daily/--restore-milestone: the folder to restore into (inside or outside the project)')
    .option('--from [remote]', 'with --restore-backup/--restore-daily/--restore-milestone: fetch a missing ZIP from this off-site copy first (rclone remote or folder; alone: backup.offsite of 04-agents/config.yaml)')
    .option('--in-place', 'write the checkpoint back into the working tree, after a safety checkpoint')
    .option('-f, --force', 'replace an existing -restored folder')
    .action(action(program, COMMANDS.restore));

  program.command('end')
    .description('end a session: metrics, archive, ZIP backup, summaries and TRACKING.md')
    .argument('<session>', 'session id, unique prefix, or @')
    .argument('[rulemap-score]', 'RULEMAP score from 0 to 10')
    .addOption(new Option('--no-backup', 'do not write the session ZIP'))
    .action(action(program, COMMANDS.end));

  program.command('push')
    .description('push sessions, checkpoint tags, metadata and backups to a git remote (never forced)')
    .argument('[remote]', "the remote (default: the current branch's upstream, else origin)")
    .argument('[sessions...]', 'only these sessions (default: all, plus backups)')
    .option('--allow-secrets', 'push even when what it would publish looks like secrets (keys, .env files)')
    .action(action(program, COMMANDS.push));

  program.command('pull')
    .description("fetch a remote's sessions into refs/remotes/<remote>/...; local sessions are never touched")
    .argument('[remote]', "the remote (default: the current branch's upstream, else origin)")
    .action(action(program, COMMANDS.pull));

  program.command('renumber')
    .description("give a session the next free number of its day (after an id collision with another clone)")
    .argument('<session>', 'session id or unique prefix')
    .action(action(program, COMMANDS.renumber));

  program.command('report')
    .description('analytics: one self-contained HTML file (or --json) with sessions, scores, files and checkpoints')
    .option('--since <date>', 'only sessions from this date (YYYY-MM-DD)')
    .option('-o, --out <file>', 'where to write the HTML: a file, or a folder ending in / (default: 04-agents/reports/report.html)')
    .action(action(program, COMMANDS.report));

  program.command('replay')
    .description("step through a session's checkpoints, oldest first, with their diffs (n/p/q on a terminal)")
    .argument('<session>', 'session id, unique prefix, or @')
    .action(action(program, COMMANDS.replay));

  program.command('merge')
    .description("turn a session's final checkpoint into one ordinary commit on a branch (a squash)")
    .argument('<session>', 'session id, unique prefix, or @')
    .option('--into <branch>', 'the branch (default: the current one)')
    .option('-m, --message <subject>', 'the commit subject (default: the session focus)')
    .action(action(program, COMMANDS.merge));

  program.command('template')
    .description('session templates: template list')
    .addArgument(new Command().createArgument('<action>', 'list').choices(['list']))
    .action(action(program, COMMANDS.template));

  program.command('doctor')
    .description('check sessions, refs, tags and backups against each other; --fix repairs without deleting data')
    .option('--fix', 'repair what can be repaired')
    .action(action(program, COMMANDS.doctor));

  program.command('hooks')
    .description('install, uninstall or check the git hooks that record commits in the active session')
    .addArgument(new Command().createArgument('<action>', 'install, uninstall or status').choices(['install', 'uninstall', 'status']))
    .action(action(program, COMMANDS.hooks));

  program.command('hook')
    .description('run a git hook by hand (for husky or lefthook): pre-commit, post-commit or pre-push (reads git\'s stdin)')
    .addArgument(new Command().createArgument('<name>', 'the hook').choices(['pre-commit', 'post-commit', 'pre-push']))
    .action(action(program, COMMANDS.hook));

  program.command('agent-hook')
    .description('handle one agent hook event (JSON on stdin); set up by `specmap init --claude` (--codex, --gemini, --cursor, --copilot)')
    .argument('[agent]', 'whose event it is: claude, codex, gemini, cursor or copilot', 'claude')
    .option('--agent <name>', 'the agent name recorded in the session (default: the agent above)')
    .option('--event <name>', "the hook event, for agents whose payload does not name it (Copilot CLI's camelCase events)")
    .action(action(program, COMMANDS['agent-hook']));

  program.command('skill')
    .description('install a Claude Code skill: skill install specmap-session-manager')
    .addArgument(new Command().createArgument('<action>', 'install').choices(['install']))
    .argument('<name>', 'the skill (specmap-session-manager)')
    .option('-f, --force', 'replace a copy you edited')
    .action(action(program, COMMANDS.skill));

  program.command('complete-backups', { hidden: true })
    .description('write session ZIPs that a fast session end deferred')
    .action(action(program, COMMANDS['complete-backups']));

  program.command('mcp')
    .description('run the MCP server on stdio (for Claude Code, Claude Desktop and other MCP clients)')
    .action(action(program, COMMANDS.mcp));

  program.command('demo')
    .description('run a real session lifecycle in a throwaway repository and print what happened')
    .option('--keep', 'keep the throwaway repository instead of deleting it')
    .action(action(program, COMMANDS.demo));

  return program;
}

/** Runs the CLI on `argv` (as process.argv) and returns the exit status; the binary's one top-level catch. */
export async function main(argv: string[]): Promise<number> {
  try {
    // Every SPECMAP_* number and date is checked before anything runs: a bad one is a usage error naming it.
    settings();
    await buildProgram().parseAsync(argv);
    // A command may report failure through its exit status alone (verify, hook), having printed its result.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message (or the help/version text).
      return err.exitCode === 0 ? 0 : 2;
    }
    const known = asSpecmapError(err);
    if (known) {
      const message = cliMessage(known);
      process.stderr.write(`specmap: ${message}\n`);
      if (argv.includes('--json')) {
        const error = { code: known.code, exitCode: known.exitCode, message };
        process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
      }
      return known.exitCode;
    }
    const e = err as Error;
    process.stderr.write(`specmap: internal error: ${e?.message ?? String(err)} (please report this at the specmap issue tracker)\n`);
    if (settings().debug) process.stderr.write(`${e?.stack ?? ''}\n`);
    return 1;
  }
}

