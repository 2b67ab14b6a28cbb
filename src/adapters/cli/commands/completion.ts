import type { Command } from 'commander';
import { bashScript } from '../completion/bash.js';
import { fishScript } from '../completion/fish.js';
import { completionSpec } from '../completion/spec.js';
import { zshScript } from '../completion/zsh.js';
import type { CommandContext } from '../output.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript };

/** `specmap completion <shell>`: the script, generated from the program's own commands, options and arguments. */
export async function run(_ctx: CommandContext, shell: string, program: Command): Promise<void> {
  process.stdout.write(SCRIPTS[shell as keyof typeof SCRIPTS](completionSpec(program)));
}
