import { examples, GROUPS } from './help.js';
import { SESSION, type Register } from './types.js';
import { arg, countOption, opt } from './values.js';

/** checkpoint, log, diff, replay, merge, blame, stats. */
export const registerCheckpoints: Register = (program, action) => {
  program.commandsGroup(GROUPS.checkpoints);

  program.command('checkpoint')
    .summary('commit the working state to the session (index, HEAD untouched)')
    .description('commit the working state to the session: a tagged git commit, without touching index or HEAD')
    .addArgument(arg('<session>', SESSION, 'active'))
    .argument('<description>', 'what this state is ("Auth implemented")')
    .addArgument(arg('[files...]', 'only these files or folders (default: every change since the previous checkpoint)', 'file'))
    .option('--allow-empty', 'write a checkpoint even when nothing changed')
    .addHelpText('after', examples(
      'specmap checkpoint @ "Auth implemented"',
      'specmap checkpoint @ "Bug fix" src/auth.py     # only the files named',
    ))
    .action(action(() => import('../commands/checkpoint.js')));

  program.command('log')
    .summary("a session's checkpoints, newest first, like git log")
    .description("a session's checkpoints, newest first, like git log")
    .addArgument(arg('[session]', 'session id, unique prefix, or @ (the default)', 'session'))
    .option('--oneline', 'one line per checkpoint')
    .option('--stat', 'files changed, with counts')
    .option('-p, --patch', 'the patch of each checkpoint')
    .addOption(countOption('-n, --max-count <N>', 'at most N checkpoints'))
    .option('-a, --all', 'every session, merged by time')
    .addHelpText('after', examples(
      'specmap log --oneline',
      'specmap log 2025-10-25-session-001 --stat -n 3',
      'specmap log --all --oneline',
    ))
    .action(action(() => import('../commands/log.js')));

  program.command('diff')
    .summary('changes between checkpoints, or one and the working tree')
    .description('what changed between two checkpoints, or between a checkpoint and the working tree')
    .addArgument(arg('<from>', '<session>:<checkpoint> (checkpoint: id, unique prefix, or ~N)', 'checkpoint'))
    .addArgument(arg('[to]', 'another checkpoint (a bare one is in the same session); default: the working tree', 'checkpoint'))
    .option('--stat', 'a summary instead of the patch')
    .addHelpText('after', examples(
      "specmap diff @:~1 @:~0          # the newest checkpoint's changes",
      'specmap diff @:checkpoint-001   # from a checkpoint to the working tree',
      "Quote a bare ~0 in bash, which would expand it to $PWD.",
    ))
    .action(action(() => import('../commands/diff.js')));

  program.command('replay')
    .summary("step through a session's checkpoints with their diffs")
    .description("step through a session's checkpoints, oldest first, with their diffs (n/p/q on a terminal)")
    .addArgument(arg('<session>', SESSION, 'session'))
    .addHelpText('after', examples('specmap replay @'))
    .action(action(() => import('../commands/replay.js')));

  program.command('merge')
    .summary("turn a session's final checkpoint into one commit on a branch")
    .description("turn a session's final checkpoint into one ordinary commit on a branch (a squash)")
    .addArgument(arg('<session>', SESSION, 'session'))
    .addOption(opt('--into <branch>', 'the branch (default: the current one)', 'branch'))
    .option('-m, --message <subject>', 'the commit subject (default: the session focus)')
    .option('--dry-run', 'show the commit it would make and the files, move no branch')
    .addHelpText('after', examples(
      'specmap merge @ --dry-run',
      'specmap merge @',
      'specmap merge 2025-10-25-session-001 --into main -m "Add authentication"',
    ))
    .action(action(() => import('../commands/merge.js')));

  program.command('blame')
    .summary('git blame with a column more: the agent and session, or human')
    .description('git blame with one column more: the agent and session that wrote each line, or human (from refs/notes/specmap)')
    .addArgument(arg('<file>', 'the file (relative to the current directory, or absolute)', 'file'))
    .addOption(opt('--rev <commit>', 'blame the file as this commit has it (default: the working tree)', 'branch'))
    .addHelpText('after', examples('specmap blame src/auth.py', 'specmap blame src/auth.py --rev HEAD~2'))
    .action(action(() => import('../commands/blame.js')));

  program.command('stats')
    .summary('share of lines written by agents, per commit, session and file')
    .description('share of lines written by agents, per commit, per session and per file (from refs/notes/specmap)')
    .option('--since <date>', 'only commits from this date (YYYY-MM-DD)')
    .addHelpText('after', examples('specmap stats', 'specmap stats --since 2025-10-01 --json'))
    .action(action(() => import('../commands/stats.js')));
};
