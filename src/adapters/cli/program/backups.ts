import type { Command } from 'commander';
import { SpecmapError } from '../../../shared/errors.js';
import { examples, GROUPS } from './help.js';
import type { ActionFor, Register } from './types.js';
import { arg, countOption, opt } from './values.js';

const backup = () => import('../commands/backup.js');
const offsite = () => import('../commands/offsite.js');
const restore = () => import('../commands/restore.js');

const REMOTE = 'an rclone remote (mycloud:specmap/project) or a folder (default: backup.offsite in 04-agents/config.yaml)';
const FROM = 'fetch a missing ZIP from this off-site copy first (rclone remote or folder; alone: backup.offsite of 04-agents/config.yaml)';

/** backup (daily, milestone, list, verify, prune, offsite …) and restore (checkpoint, backup, daily, milestone, lists). */
export const registerBackups: Register = (program, action) => {
  program.commandsGroup(GROUPS.backups);
  registerBackup(program, action);
  registerRestore(program, action);
};

function registerBackup(program: Command, action: ActionFor): void {
  const group = program.command('backup')
    .summary('project backups: daily, milestone, list, verify, prune, offsite')
    .description('project backups: a daily one, named milestones, their verification and pruning, and off-site copies through rclone')
    .helpCommand(false)
    .addHelpText('after', examples(
      'specmap backup daily',
      'specmap backup milestone v1.0-release',
      'specmap backup verify                       # every backup',
      'specmap backup prune --keep-daily 14 --dry-run',
      'specmap backup offsite push mycloud:specmap/project',
    ));

  group.command('daily')
    .description("today's backup of the spec's items (00-governance/ … TRACKING.md, or backup.daily_items): ZIP, manifest and git copy")
    .addHelpText('after', examples('specmap backup daily', 'specmap backup daily --json'))
    .action(action(() => backup().then((m) => ({ run: m.runDaily }))));

  group.command('milestone')
    .description('a named backup of the whole project as it is now (tracked and untracked files, not ignored ones)')
    .argument('<name>', 'its name, e.g. v1.0-release')
    .option('-f, --force', 'replace an existing one')
    .addHelpText('after', examples('specmap backup milestone v1.0-release', 'specmap backup milestone v1.0-release --force'))
    .action(action(() => backup().then((m) => ({ run: m.runMilestone }))));

  group.command('list')
    .description('every backup: daily, milestone and session ZIPs, with their git copies')
    .addHelpText('after', examples('specmap backup list', 'specmap backup list --json'))
    .action(action(() => backup().then((m) => ({ run: m.runList }))));

  group.command('verify')
    .description("check backups against their manifests: every file's SHA-256, the ZIP's, and the git copy")
    .addArgument(arg('[backup]', 'a date, milestone name or session id (default: all)', 'backup'))
    .option('--all', 'every backup (the default)')
    .addHelpText('after', examples('specmap backup verify', 'specmap backup verify 2025-10-25', 'specmap backup verify v1.0-release'))
    .action(action(() => backup().then((m) => ({ run: m.runVerify }))));

  group.command('prune')
    .description('delete the oldest backups past what to keep (with their git copies)')
    .addOption(countOption('--keep-daily <N>', 'daily backups to keep (default 14)'))
    .addOption(countOption('--keep-milestones <N>', 'milestones to keep (default: all)'))
    .addOption(countOption('--sessions <N>', 'session ZIPs of archived sessions to keep (default: all)'))
    .option('--dry-run', 'show what would be deleted, delete nothing')
    .addHelpText('after', examples('specmap backup prune --keep-daily 14 --dry-run', 'specmap backup prune --keep-daily 7 --keep-milestones 5', 'specmap backup prune --sessions 20'))
    .action(action(() => backup().then((m) => ({ run: m.runPrune }))));

  const off = group.command('offsite')
    .description('copy the backup ZIPs to an off-site copy through rclone, and back')
    .helpCommand(false)
    .addHelpText('after', examples(
      'specmap backup offsite push mycloud:specmap/project',
      'specmap backup offsite verify          # the remote of 04-agents/config.yaml',
    ));
  off.command('push')
    .description('send the backups the remote lacks, then check the remote with rclone check')
    .addArgument(arg('[remote]', REMOTE, 'dir'))
    .option('--rehash', 'download and hash the remote ZIPs first, and send again any that fails its record')
    .addHelpText('after', examples('specmap backup offsite push mycloud:specmap/project', 'specmap backup offsite push --rehash'))
    .action(action(() => offsite().then((m) => ({ run: m.runPush }))));
  off.command('pull')
    .description('fetch the backups this copy lacks from the remote (never over a local file)')
    .addArgument(arg('[remote]', REMOTE, 'dir'))
    .addHelpText('after', examples('specmap backup offsite pull', 'specmap backup offsite pull mycloud:specmap/project'))
    .action(action(() => offsite().then((m) => ({ run: m.runPull }))));
  off.command('list')
    .description('every backup here and on the remote, and whether they are the same')
    .addArgument(arg('[remote]', REMOTE, 'dir'))
    .addHelpText('after', examples('specmap backup offsite list', 'specmap backup offsite list --json'))
    .action(action(() => offsite().then((m) => ({ run: m.runList }))));
  off.command('verify')
    .description('hash the remote copies against the local records')
    .addArgument(arg('[remote]', REMOTE, 'dir'))
    .addHelpText('after', examples('specmap backup offsite verify', 'specmap backup offsite verify mycloud:specmap/project'))
    .action(action(() => offsite().then((m) => ({ run: m.runVerify }))));
}

function registerRestore(program: Command, action: ActionFor): void {
  const group = program.command('restore')
    .summary('restore checkpoints and backups (from git, or from the ZIPs)')
    .description('list and restore checkpoints and session backups (from git, or from the ZIPs when git lost them), and daily and milestone backups')
    .usage('<command> [options]')
    .helpCommand(false);

  group.command('checkpoint')
    .description("write a checkpoint's files to sessions/active/<id>-<checkpoint>-restored/, or with --in-place back into the working tree after a safety checkpoint")
    .addArgument(arg('<checkpoint>', '<session>:<checkpoint> (checkpoint: id, unique prefix or ~N); <session> <checkpoint> works too', 'checkpoint'))
    .addArgument(arg('[paths...]', 'only these files or folders', 'file'))
    .option('--in-place', 'write the checkpoint back into the working tree, after a safety checkpoint')
    .option('--dry-run', 'with --in-place: show what would be written and removed, change nothing')
    .option('-f, --force', 'replace an existing -restored folder')
    .addHelpText('after', examples('specmap restore checkpoint @:checkpoint-002', 'specmap restore checkpoint @:~1 --in-place --dry-run', 'specmap restore checkpoint 2025-10-25-session-001 checkpoint-002 src/auth.py'))
    .action(action(() => restore().then((m) => ({ run: m.runCheckpoint }))));

  group.command('backup')
    .description("extract a session's ZIP to sessions/active/<id>-restored/")
    .addArgument(arg('<session>', 'the session (id or unique prefix) whose ZIP to extract', 'session-backup'))
    .addOption(opt('--from [remote]', FROM, 'dir'))
    .option('-f, --force', 'replace an existing -restored folder')
    .addHelpText('after', examples('specmap restore backup 2025-10-25-session-001', 'specmap restore backup 2025-10-25-session-001 --from mycloud:specmap/project'))
    .action(action(() => restore().then((m) => ({ run: m.runBackup }))));

  group.command('daily')
    .description('restore a daily backup to 04-agents/backups/restored/daily-<date>/ (from its ZIP, else its git copy)')
    .addArgument(arg('<date>', 'the day, YYYY-MM-DD', 'daily'))
    .addOption(opt('--to <dir>', 'the folder to restore into (inside or outside the project)', 'dir'))
    .addOption(opt('--from [remote]', FROM, 'dir'))
    .option('-f, --force', 'replace an existing folder')
    .addHelpText('after', examples('specmap restore daily 2025-10-25', 'specmap restore daily 2025-10-25 --to /tmp/day'))
    .action(action(() => restore().then((m) => ({ run: m.runDaily }))));

  group.command('milestone')
    .description('restore a milestone backup to 04-agents/backups/restored/milestone-<name>/')
    .addArgument(arg('<name>', 'the milestone', 'milestone'))
    .addOption(opt('--to <dir>', 'the folder to restore into (inside or outside the project)', 'dir'))
    .addOption(opt('--from [remote]', FROM, 'dir'))
    .option('-f, --force', 'replace an existing folder')
    .addHelpText('after', examples('specmap restore milestone v1.0-release', 'specmap restore milestone v1.0-release --to /tmp/v1'))
    .action(action(() => restore().then((m) => ({ run: m.runMilestone }))));

  group.command('list-checkpoints')
    .description("a session's checkpoints and where their files can be read from (git, file copies, session ZIP)")
    .addArgument(arg('<session>', 'session id, unique prefix, or @', 'session'))
    .addHelpText('after', examples('specmap restore list-checkpoints @', 'specmap restore list-checkpoints 2025-10-25-session-001 --json'))
    .action(action(() => restore().then((m) => ({ run: m.runListCheckpoints }))));

  group.command('list-backups')
    .description('the session ZIP backups (daily and milestone backups: specmap backup list)')
    .addHelpText('after', examples('specmap restore list-backups', 'specmap restore list-backups --json'))
    .action(action(() => restore().then((m) => ({ run: m.runListBackups }))));

  // The spec's forms (`restore --restore-checkpoint <session> <checkpoint>` …), kept as they were.
  const SPEC = "The spec's forms (the same as the commands above):";
  const MODES = ['listBackups', 'restoreBackup', 'listCheckpoints', 'restoreCheckpoint', 'restoreDaily', 'restoreMilestone'];
  const mode = (flags: string, description: string, values?: Parameters<typeof opt>[2]) => {
    const o = opt(flags, description, values).helpGroup(SPEC);
    return o.conflicts(MODES.filter((m) => m !== o.attributeName()));
  };
  group
    // Without descriptions, so the help shows them only in the --restore-checkpoint line.
    .addArgument(arg('[checkpoint]', '', 'checkpoint-of-prev'))
    .addArgument(arg('[paths...]', '', 'file'))
    .addOption(mode('--list-backups', 'as list-backups'))
    .addOption(mode('--restore-backup <session>', 'as backup <session>', 'session-backup'))
    .addOption(mode('--list-checkpoints <session>', 'as list-checkpoints <session>', 'session'))
    .addOption(mode('--restore-checkpoint <session>', 'as checkpoint <session> <checkpoint> [paths...]', 'session'))
    .addOption(mode('--restore-daily <date>', 'as daily <date>', 'daily'))
    .addOption(mode('--restore-milestone <name>', 'as milestone <name>', 'milestone'))
    .addOption(opt('--to <dir>', 'with --restore-daily or --restore-milestone: the folder to restore into', 'dir').helpGroup(SPEC))
    .addOption(opt('--from [remote]', 'with --restore-backup, --restore-daily or --restore-milestone: fetch a missing ZIP from this off-site copy first', 'dir').helpGroup(SPEC))
    .addOption(opt('--in-place', 'with --restore-checkpoint: back into the working tree, after a safety checkpoint').helpGroup(SPEC))
    .addOption(opt('--dry-run', 'with --in-place: show what would be written and removed, change nothing').helpGroup(SPEC))
    .addOption(opt('-f, --force', 'replace an existing -restored folder').helpGroup(SPEC))
    .addHelpText('after', examples(
      'specmap restore list-checkpoints @',
      'specmap restore checkpoint @:checkpoint-002           # to <id>-<cp>-restored/',
      'specmap restore checkpoint @:~1 --in-place --dry-run',
      'specmap restore checkpoint @:~1 --in-place src/auth.py',
      'specmap restore backup 2025-10-25-session-001',
      'specmap restore daily 2025-10-25 --to /tmp/day',
      'specmap restore --restore-checkpoint @ checkpoint-002  # the spec\'s form',
    ))
    .action(action(restore))
    // The top level takes its options anywhere (`specmap list --json`), so commander hands `restore` every option
    // its subcommand did not claim first: `restore checkpoint @:~1 --force` sets restore's own --force. Give such
    // values to the subcommand, and refuse the spec's mode flags and options it does not take.
    .hook('preAction', (_restore, sub) => {
      if (sub === group) return;
      for (const [key, value] of Object.entries(group.opts())) {
        const flag = group.options.find((o) => o.attributeName() === key)!;
        if (!MODES.includes(key) && sub.options.some((o) => o.attributeName() === key)) {
          if (sub.getOptionValue(key) === undefined) sub.setOptionValue(key, value);
        } else {
          throw new SpecmapError('USAGE', `${flag.long ?? flag.short} does not go with restore ${sub.name()}`);
        }
      }
    });
}
