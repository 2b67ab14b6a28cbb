import { examples } from './help.js';
import type { Register } from './types.js';
import { arg } from './values.js';

/**
 * What git hooks, agent hooks and the shell completion scripts run: hidden from `specmap --help`, listed by
 * `specmap help plumbing`, and working like any other command.
 */
export const registerPlumbing: Register = (program, action) => {
  program.command('hook', { hidden: true })
    .summary('run a git hook by hand (for husky or lefthook)')
    .description("run a git hook by hand (for husky or lefthook): pre-commit, post-commit, pre-push, post-rewrite (these two read git's stdin) or post-merge")
    .addArgument(arg('<name>', 'the hook').choices(['pre-commit', 'post-commit', 'pre-push', 'post-rewrite', 'post-merge']))
    .addArgument(arg('[kind]', "git's argument: post-rewrite's amend or rebase, post-merge's 1 for a squash", { suggest: ['amend', 'rebase'] }))
    .addHelpText('after', examples('echo "specmap hook pre-commit" > .husky/pre-commit'))
    .action(action(() => import('../commands/hooks.js').then((m) => ({ run: m.runHook }))));

  program.command('agent-hook', { hidden: true })
    .summary('handle one agent hook event (JSON on stdin)')
    .description('handle one agent hook event (JSON on stdin); set up by `specmap init --claude` (--codex, --gemini, --cursor, --copilot)')
    .addArgument(arg('[agent]', 'whose event it is: claude, codex, gemini, cursor or copilot', { suggest: ['claude', 'codex', 'gemini', 'cursor', 'copilot'] }, 'claude'))
    .option('--agent <name>', 'the agent name recorded in the session (default: the agent above)')
    .option('--event <name>', "the hook event, for agents whose payload does not name it (Copilot CLI's camelCase events)")
    .addHelpText('after', examples(
      "echo '{\"hook_event_name\":\"SessionStart\"}' | specmap agent-hook claude",
      'specmap init --claude      # writes the hooks that run it',
    ))
    .action(action(() => import('../commands/agent-hook.js')));

  program.command('complete-backups', { hidden: true })
    .summary('write session ZIPs that a fast session end deferred')
    .description('write session ZIPs that a fast session end deferred')
    .addHelpText('after', examples('specmap complete-backups     # what agent hooks start after a fast end'))
    .action(action(() => import('../commands/complete-backups.js')));

  program.command('__complete', { hidden: true })
    .summary('completion candidates for the shell scripts, read without git')
    .description('print the completion candidates of one kind starting with <word>, one a line (what specmap completion scripts call; reads the 04-agents folders, never git)')
    .argument('<kind>', 'session, active, checkpoint, session-or-checkpoint, checkpoint-of-prev, session-backup, daily, milestone, backup or template')
    .argument('[word]', 'what is typed so far', '')
    .argument('[previous]', 'the word before it (checkpoint-of-prev: the session)')
    .addHelpText('after', examples('specmap __complete checkpoint 2025-10-25-session-001:', 'specmap __complete session ""'))
    .action(action(() => import('../commands/complete.js')));
};
