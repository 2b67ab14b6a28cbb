import { examples, GROUPS } from './help.js';
import { SESSION, type Register } from './types.js';
import { arg, opt } from './values.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** init, start, track, list, show, end, fork, compare, template, report. */
export const registerSessions: Register = (program, action) => {
  program.commandsGroup(GROUPS.sessions);

  program.command('init')
    .summary('create the 04-agents/ layout (with agent flags: their hooks)')
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
    .addHelpText('after', examples(
      'specmap init                      # the folders only (start does this too)',
      'specmap init --claude             # plus Claude Code hooks and MCP server',
      'specmap init --codex --gemini     # other agents, combinable',
      'specmap init --claude --status    # what is installed, changing nothing',
    ))
    .action(action(() => import('../commands/init.js')));

  program.command('start')
    .summary('start a session: workspace folder, session.yaml and its git ref')
    .description('start a session: workspace folder, session.yaml and refs/sessions/<id>')
    .argument('<focus>', 'what the session is about (becomes part of its id)')
    .addArgument(arg('[agent]', 'the AI agent working in it', { suggest: ['claude', 'codex', 'gemini', 'cursor', 'copilot'] }, 'claude'))
    .option('--meta <key=value>', 'extra metadata (repeatable)', collect)
    .addOption(opt('--template <name>', 'start the workspace from a template (specify, plan, implement, qa, or 04-agents/templates/<name>/)', 'template'))
    .addHelpText('after', examples(
      'specmap start "authentication feature" claude',
      'specmap start "fix login bug" --template implement --meta ticket=AUTH-42',
    ))
    .action(action(() => import('../commands/start.js')));

  program.command('track')
    .summary('record a file the session created or modified')
    .description('record a file the session created or modified')
    .addArgument(arg('<session>', SESSION, 'active'))
    .addArgument(arg('<file>', 'the file (relative to the current directory, or absolute)', 'file'))
    .addArgument(arg('<action>', 'created or modified').choices(['created', 'modified']))
    .addHelpText('after', examples(
      'specmap track @ src/auth.py created',
      'specmap track 2025-10-25-session-001 src/main.py modified',
    ))
    .action(action(() => import('../commands/track.js')));

  program.command('list')
    .summary('list sessions (active ones; --all adds archived)')
    .description('list active sessions')
    .option('-a, --all', 'include archived (completed) sessions')
    .addOption(opt('--remote [name]', "sessions fetched by 'specmap pull' (from every remote, or one)", 'remote'))
    .option('--user <who>', 'only sessions whose user (git name <email>) contains this')
    .option('--tree', "every worktree's sessions, each fork under the session it was forked from")
    .addHelpText('after', examples(
      'specmap list --all',
      'specmap list --remote origin --user alice',
      'specmap list --tree              # forks under their parents',
    ))
    .action(action(() => import('../commands/list.js')));

  program.command('show')
    .summary("a session (metadata, artifacts, checkpoints) or one checkpoint")
    .description("show a session's metadata, artifacts, checkpoints and metrics, or one checkpoint with its patch")
    .addArgument(arg('<session[:checkpoint]>', 'session id, unique prefix, or @; with :<checkpoint> (id, prefix or ~N) one checkpoint', 'session-or-checkpoint'))
    .option('--transcript', "with a checkpoint: the agent's prompts that led to it")
    .addHelpText('after', examples(
      'specmap show @',
      'specmap show @:checkpoint-002',
      "specmap show @:~1 --transcript    # the checkpoint before the newest",
    ))
    .action(action(() => import('../commands/show.js')));

  program.command('end')
    .summary('end a session: metrics, archive, ZIP backup, summaries')
    .description('end a session: metrics, archive, ZIP backup, summaries and TRACKING.md')
    .addArgument(arg('<session>', SESSION, 'active'))
    .argument('[rulemap-score]', 'RULEMAP score from 0 to 10')
    .option('--no-backup', 'do not write the session ZIP')
    .option('--discard', "also remove the session's linked worktree (a losing fork), run from another worktree: the ZIP and archived folder are verified and kept here, refs and tags kept")
    .option('-f, --force', "with --discard: also delete the worktree's git-ignored files (build output, dependencies)")
    .addHelpText('after', examples(
      'specmap end @ 8.5',
      'specmap end 2025-10-25-session-001 --no-backup',
      'specmap end 2025-10-25-session-002 --discard    # a fork that lost',
    ))
    .action(action(() => import('../commands/end.js')));

  program.command('fork')
    .summary('start a session from a checkpoint in a new linked worktree')
    .description('start a session from a checkpoint in a new linked worktree (detached HEAD), to run another agent on the same problem')
    .addArgument(arg('<session:checkpoint>', 'the checkpoint to start from: <session>:<checkpoint> (checkpoint: id, unique prefix, or ~N)', 'checkpoint'))
    .argument('[focus]', "the new session's focus (default: the parent's)")
    .addOption(opt('--worktree <dir>', 'where to put the new worktree (default: ../<repo>-<new id>)', 'dir'))
    .addOption(opt('--agent <name>', "the agent working in the fork (default: the parent's)", { suggest: ['claude', 'codex', 'gemini', 'cursor', 'copilot'] }))
    .addHelpText('after', examples(
      'specmap fork @:~0 "auth, second try" --agent codex',
      'specmap fork 2025-10-25-session-001:checkpoint-002 --worktree ../try-2',
    ))
    .action(action(() => import('../commands/fork.js')));

  program.command('compare')
    .summary('sessions side by side (forks): checkpoints, files, lines, score')
    .description('sessions side by side (forks, typically): checkpoints, files, lines, RULEMAP, duration, the diff between their final states')
    .addArgument(arg('<sessions...>', 'two or more sessions: id or unique prefix, in any worktree', 'session'))
    .option('--run <cmd>', "run a command (the test suite) through the shell in each session's worktree: exit status and time")
    .option('--timeout <seconds>', 'stop --run after this long in each worktree (default 600)')
    .option('-p, --patch', 'also print the patch between each pair of final states')
    .addHelpText('after', examples(
      'specmap compare 2025-10-25-session-001 2025-10-25-session-002',
      'specmap compare 2025-10-25-session-00 --run "npm test" --timeout 300',
    ))
    .action(action(() => import('../commands/compare.js')));

  program.command('template')
    .summary('session templates (template list)')
    .description('session templates: the built-in ones and 04-agents/templates/<name>/')
    .helpCommand(false)
    .addHelpText('after', examples('specmap template list', 'specmap start "new api" --template specify'))
    .command('list')
    .description('list the templates start --template takes')
    .addHelpText('after', examples('specmap template list', 'specmap template list --json'))
    .action(action(() => import('../commands/template.js').then((m) => ({ run: (ctx) => m.run(ctx, 'list') }))));

  program.command('report')
    .summary('analytics: one self-contained HTML file (or --json)')
    .description('analytics: one self-contained HTML file (or --json) with sessions, scores, files and checkpoints')
    .option('--since <date>', 'only sessions from this date (YYYY-MM-DD)')
    .addOption(opt('-o, --out <file>', 'where to write the HTML: a file, or a folder ending in / (default: 04-agents/reports/report.html)', 'file'))
    .addHelpText('after', examples(
      'specmap report',
      'specmap report --since 2025-10-01 -o reports/',
      'specmap report --json > report.json',
    ))
    .action(action(() => import('../commands/report.js')));
};
