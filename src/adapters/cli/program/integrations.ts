import type { CommandContext } from '../output.js';
import { examples, GROUPS } from './help.js';
import type { Register } from './types.js';
import { arg } from './values.js';

const hooks = () => import('../commands/hooks.js');
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** hooks (install, uninstall, status), skill install, mcp, completion. */
export const registerIntegrations: Register = (program, action) => {
  program.commandsGroup(GROUPS.integrations);

  const group = program.command('hooks')
    .summary('install, uninstall or check the git hooks that record commits')
    .description('install, uninstall or check the git hooks that record commits in the active session')
    .helpCommand(false)
    .addHelpText('after', examples('specmap hooks install', 'specmap hooks status'));
  // hooks.ts run(ctx, action, flags): each subcommand passes its name as the action.
  const hooksRun = (name: string) => () => hooks().then((m) => ({ run: (ctx: CommandContext, ...rest: unknown[]) => (m.run as (...a: unknown[]) => Promise<void>)(ctx, name, ...rest) }));
  group.command('install')
    .description('install the pre-commit, post-commit, pre-push, post-rewrite and post-merge hooks (an existing hook is kept and runs first)')
    .option('--dry-run', 'show what would be written, change nothing')
    .addHelpText('after', examples('specmap hooks install', 'specmap hooks install --dry-run'))
    .action(action(hooksRun('install')));
  group.command('uninstall')
    .description("remove specmap's hooks (an original hook they chained is put back)")
    .option('--dry-run', 'show what would be removed or put back, change nothing')
    .addHelpText('after', examples('specmap hooks uninstall --dry-run', 'specmap hooks uninstall'))
    .action(action(hooksRun('uninstall')));
  group.command('status')
    .description('whether each hook is installed, outdated or missing, and which hook manager is in use')
    .addHelpText('after', examples('specmap hooks status', 'specmap hooks status --json'))
    .action(action(hooksRun('status')));

  program.command('skill')
    .summary('install the Claude Code skill specmap-session-manager')
    .description('Claude Code skills: skill install specmap-session-manager')
    .helpCommand(false)
    .addHelpText('after', examples('specmap skill install specmap-session-manager'))
    .command('install')
    .description('write the skill to .claude/skills/<name>/SKILL.md')
    .addArgument(arg('<name>', 'the skill (specmap-session-manager)', { suggest: ['specmap-session-manager'] }))
    .option('-f, --force', 'replace a copy you edited')
    .addHelpText('after', examples('specmap skill install specmap-session-manager', 'specmap skill install specmap-session-manager --force'))
    .action(action(() => import('../commands/skill.js').then((m) => ({ run: (ctx, name: string, flags) => m.run(ctx, 'install', name, flags) }))));

  program.command('mcp')
    .summary('run the MCP server on stdio (Claude Code, Claude Desktop, …)')
    .description('run the MCP server on stdio (for Claude Code, Claude Desktop and other MCP clients)')
    .addHelpText('after', examples('claude mcp add specmap -- specmap mcp'))
    .action(action(() => import('../commands/mcp.js')));

  program.command('completion')
    .summary('print the shell completion script for bash, zsh or fish')
    .description('print the shell completion script: commands, options, session ids and <session>:<checkpoint>')
    .addArgument(arg('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .addHelpText('after', examples(
      "echo 'source <(specmap completion bash)' >> ~/.bashrc",
      'specmap completion zsh > ~/.zfunc/_specmap   # with fpath=(~/.zfunc $fpath)',
      'specmap completion fish > ~/.config/fish/completions/specmap.fish',
    ))
    .action(action(() => import('../commands/completion.js').then((m) => ({ run: (ctx, shell: string) => m.run(ctx, shell, program) }))));
};
