import { gitOutputConfig } from '../../api/output-config.js';
import { settings } from '../../shared/settings.js';
import type { ColorWhen, CommandContext } from './output.js';

export interface ColorInputs {
  /** --color; undefined when not given. */
  flag?: ColorWhen;
  /** git's color.ui. */
  colorUi?: string;
  /** FORCE_COLOR: true forces colour, false forbids it (`0`, `false`), undefined when unset. */
  forceColor?: boolean;
  /** NO_COLOR set and not empty. */
  noColor: boolean;
  term?: string;
  /** stdout is a terminal. */
  tty: boolean;
}

/**
 * Whether to colour, first rule that speaks wins: --color always|never; git's color.ui always, or never/false
 * (true and auto leave it to what follows, as in git); FORCE_COLOR; NO_COLOR; then a terminal that is not `dumb`.
 * A flag and a config file override the environment, as https://no-color.org asks. `--color=auto` skips color.ui.
 */
export function colorWanted(i: ColorInputs): boolean {
  if (i.flag === 'always') return true;
  if (i.flag === 'never') return false;
  const ui = i.flag === 'auto' ? undefined : i.colorUi?.trim().toLowerCase();
  if (ui === 'always') return true;
  if (ui === 'never' || ui === 'false' || ui === 'no' || ui === 'off' || ui === '0') return false;
  if (i.forceColor !== undefined) return i.forceColor;
  if (i.noColor) return false;
  return i.tty && i.term !== 'dumb';
}

/** The pager as git picks it: GIT_PAGER, core.pager, PAGER, else `less`; none when that is empty or `cat`. */
export function pagerCommand(i: { gitPager?: string; corePager?: string; pager?: string }): string | undefined {
  const cmd = (i.gitPager ?? i.corePager ?? i.pager ?? 'less').trim();
  return cmd === '' || cmd === 'cat' ? undefined : cmd;
}

export interface ViewOptions {
  color: boolean;
  /** The pager to run, when the view is to be paged: stdout is a terminal and --no-pager was not given. */
  pager?: string;
}

/**
 * How a pageable view (log, show, diff, replay) prints: coloured or not (`colored`: it has colour at all), through a
 * pager or not. git's config is read (one `git config` call) only when it can matter.
 */
export async function viewOptions(ctx: CommandContext, colored = true): Promise<ViewOptions> {
  if (ctx.out.json) return { color: false };
  const s = settings();
  const tty = Boolean(process.stdout.isTTY);
  const paging = ctx.pager && tty && !ctx.out.quiet;
  // GIT_PAGER comes before core.pager; --color=always|never before color.ui.
  const needConfig = (paging && s.gitPager === undefined) || (colored && ctx.color === undefined);
  const cfg = needConfig ? await gitOutputConfig({ cwd: ctx.cwd }).catch(() => ({ pager: undefined, color_ui: undefined })) : {};
  const color = colored && colorWanted({ flag: ctx.color, colorUi: cfg.color_ui, forceColor: s.forceColor, noColor: s.noColor, term: s.term, tty });
  const pager = paging ? pagerCommand({ gitPager: s.gitPager, corePager: cfg.pager, pager: s.pager }) : undefined;
  return { color, ...(pager ? { pager } : {}) };
}
