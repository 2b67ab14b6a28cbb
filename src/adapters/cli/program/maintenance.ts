import type { Command } from 'commander';
import { SpecmapError } from '../../../shared/errors.js';
import { examples, GROUPS, plumbingHelp } from './help.js';
import type { Register } from './types.js';
import { arg, countOption } from './values.js';

/** doctor, du, gc, demo, help. */
export const registerMaintenance: Register = (program, action) => {
  program.commandsGroup(GROUPS.maintenance);

  program.command('doctor')
    .summary('check sessions, refs, tags and backups; --fix repairs')
    .description('check sessions, refs, tags and backups against each other; --fix repairs without deleting data')
    .option('--fix', 'repair what can be repaired')
    .option('--dry-run', 'with --fix: show what would be repaired, repair nothing')
    .addHelpText('after', examples('specmap doctor', 'specmap doctor --fix --dry-run', 'specmap doctor --fix'))
    .action(action(() => import('../commands/doctor.js')));

  program.command('du')
    .summary('what specmap costs on disk, per session and for backups')
    .description("what specmap costs on disk: per session its checkpoints' git objects, transcript, ZIP and folder; backups; loose objects")
    .addArgument(arg('[session]', 'only this session (id, unique prefix, or @)', 'session'))
    .addHelpText('after', examples('specmap du', 'specmap du @ --json'))
    .action(action(() => import('../commands/du.js')));

  program.command('gc')
    .summary('apply the retention policy, pack loose objects past gc.auto')
    .description('apply the retention policy: drop old session ZIPs git still holds, covered safety snapshots; pack loose objects past gc.auto')
    .addOption(countOption('--keep-session-zips <N>', 'keep the N newest ZIPs of archived sessions (default: retention.session_zips, else 10)'))
    .addOption(countOption('--older-than <days>', 'keep session ZIPs younger than this many days (default: retention.session_zip_days, else no age rule)'))
    .addOption(countOption('--keep-daily <N>', 'also prune daily backups to the N newest (default: retention.daily, else none pruned)'))
    .addOption(countOption('--keep-milestones <N>', 'also prune milestones to the N newest (default: retention.milestones, else none pruned)'))
    .addOption(countOption('--safety-older-than <days>', 'drop safety snapshots older than this whose content other refs hold (default: retention.safety_days, else 30)'))
    .option('--drop-unique-safety', 'with --safety-older-than: also drop old safety snapshots that hold content nothing else has')
    .option('--dry-run', 'show what would be removed and packed, change nothing')
    .addHelpText('after', examples(
      'specmap gc --dry-run',
      'specmap gc --keep-session-zips 5 --older-than 30',
    ))
    .action(action(() => import('../commands/gc.js')));

  program.command('demo')
    .summary('run a real session lifecycle in a throwaway repository')
    .description('run a real session lifecycle in a throwaway repository and print what happened')
    .option('--keep', 'keep the throwaway repository instead of deleting it')
    .addHelpText('after', examples('specmap demo', 'specmap demo --keep'))
    .action(action(() => import('../commands/demo.js')));

  program.helpCommand(false);
  program.command('help')
    .summary('help for a command or a subcommand; help plumbing for the rest')
    .description('help for a command, a subcommand (help backup prune), or the plumbing commands hooks run (help plumbing)')
    .addArgument(arg('[command...]', 'the command, or plumbing', { suggest: [...program.commands.map((c) => c.name()), 'plumbing'] }))
    .addHelpText('after', examples('specmap help restore checkpoint     # as specmap restore checkpoint --help', 'specmap help plumbing'))
    .action((words: string[]) => {
      if (words.length === 0) return program.outputHelp();
      if (words.length === 1 && words[0] === 'plumbing') return void process.stdout.write(plumbingHelp(program));
      let cmd: Command = program;
      for (const w of words) {
        const next = cmd.commands.find((c) => c.name() === w);
        if (!next) throw new SpecmapError('USAGE', `no command ${JSON.stringify(words.join(' '))} (specmap --help lists them; specmap help plumbing the rest)`);
        cmd = next;
      }
      cmd.outputHelp();
    });
};
