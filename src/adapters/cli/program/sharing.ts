import { examples, GROUPS } from './help.js';
import type { Register } from './types.js';
import { arg } from './values.js';

const sync = () => import('../commands/sync.js');

/** push, pull, renumber. */
export const registerSharing: Register = (program, action) => {
  program.commandsGroup(GROUPS.sharing);

  program.command('push')
    .summary('send sessions, checkpoints and backups to a git remote')
    .description('push sessions, checkpoint tags, metadata and backups to a git remote (never forced)')
    .addArgument(arg('[remote]', "the remote (default: the current branch's upstream, else origin)", 'remote'))
    .addArgument(arg('[sessions...]', 'only these sessions (default: all, plus backups)', 'session'))
    .option('--allow-secrets', 'push even when what it would publish looks like secrets (keys, .env files)')
    .option('--dry-run', "run the checks and 'git push --dry-run': show what would be pushed, change nothing")
    .addHelpText('after', examples(
      'specmap push',
      'specmap push origin 2025-10-25-session-001',
    ))
    .action(action(() => sync().then((m) => ({ run: m.runPush }))));

  program.command('pull')
    .summary("fetch a remote's sessions (local sessions are never touched)")
    .description("fetch a remote's sessions into refs/remotes/<remote>/...; local sessions are never touched")
    .addArgument(arg('[remote]', "the remote (default: the current branch's upstream, else origin)", 'remote'))
    .addHelpText('after', examples(
      'specmap pull',
      'specmap list --remote origin     # what it fetched',
    ))
    .action(action(() => sync().then((m) => ({ run: m.runPull }))));

  program.command('renumber')
    .summary("give a session the next free number of its day (id collision)")
    .description("give a session the next free number of its day (after an id collision with another clone)")
    .addArgument(arg('<session>', 'session id or unique prefix', 'session'))
    .option('--dry-run', 'show the new id and every folder and ref change, change nothing')
    .addHelpText('after', examples('specmap renumber 2025-10-25-session-001 --dry-run', 'specmap renumber 2025-10-25-session-001'))
    .action(action(() => sync().then((m) => ({ run: m.runRenumber }))));
};
