import { resolve } from 'node:path';
import { configMatching } from '../storage/git/commits.js';

/** git's settings for how output looks, as the git in `cwd` (its repository, else the user's config) has them. */
export interface GitOutputConfig {
  /** core.pager. */
  pager?: string;
  /** color.ui: auto, always, never, true or false. */
  color_ui?: string;
}

/**
 * core.pager and color.ui, read with one `git config` call, for the CLI's pager and colours. Not a verb of the
 * library: it runs without opening the project, and works outside one (the user's config only).
 */
export async function gitOutputConfig(opts: { cwd?: string } = {}): Promise<GitOutputConfig> {
  const found = await configMatching(resolve(opts.cwd ?? process.cwd()), /^(core\.pager|color\.ui)$/);
  return {
    ...(found.has('core.pager') ? { pager: found.get('core.pager') } : {}),
    ...(found.has('color.ui') ? { color_ui: found.get('color.ui') } : {}),
  };
}
