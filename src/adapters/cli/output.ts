import type { ProgressPhase } from '../../shared/progress.js';
import { settings } from '../../shared/settings.js';
import { progressLine, type ProgressLine } from './progress.js';

/**
 * Where a command's output goes: human text, or one JSON document under --json; with --quiet nothing but the JSON
 * document (errors are printed by main's one catch). Warnings go to stderr.
 */
export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  /** Prints a line of human output (ignored under --json and --quiet). */
  line(text?: string): void;
  /** Prints the command's result: JSON under --json, otherwise the rendered text (nothing under --quiet). */
  result<T>(value: T, render: (value: T) => string): void;
  /**
   * As `result`, through `pager` (a shell command, as git runs core.pager) when one is given: the pageable views
   * (log, show, diff, replay) on a terminal. Resolves once the pager has exited.
   */
  paged<T>(value: T, render: (value: T) => string, pager: string | undefined): Promise<void>;
  warn(text: string): void;
  /**
   * A progress line on stderr for the api's `onProgress` (nothing off a terminal, under --json, --quiet or CI).
   * Whatever this output prints next erases it first. `first` is the phase shown until the first report.
   */
  progress(first?: ProgressPhase): ProgressLine;
}

/** When colour is used: --color, else git's color.ui, FORCE_COLOR, NO_COLOR, and whether stdout is a terminal. */
export type ColorWhen = 'auto' | 'always' | 'never';

export interface OutputOptions {
  json: boolean;
  quiet?: boolean;
}

export function createOutput(opts: OutputOptions | boolean): Output {
  const { json, quiet = false } = typeof opts === 'boolean' ? { json: opts } : opts;
  let active: ProgressLine | undefined;
  const clear = () => active?.clear();
  const text = <T>(value: T, render: (value: T) => string): string | undefined => {
    const t = render(value);
    return t.length === 0 ? undefined : t.endsWith('\n') ? t : `${t}\n`;
  };
  const out: Output = {
    json,
    quiet,
    line(line = '') {
      clear();
      if (!json && !quiet) process.stdout.write(`${line}\n`);
    },
    result(value, render) {
      clear();
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else if (!quiet) {
        const t = text(value, render);
        if (t) process.stdout.write(t);
      }
    },
    async paged(value, render, pager) {
      if (json || quiet || pager === undefined) {
        out.result(value, render);
        return;
      }
      clear();
      const t = text(value, render);
      if (t) await (await import('./pager.js')).page(pager, t);
    },
    warn(line) {
      clear();
      if (!quiet) process.stderr.write(`specmap: warning: ${line}\n`);
    },
    progress(first) {
      active?.done();
      active = progressLine(!json && !quiet && !settings().ci && settings().term !== 'dumb', first);
      return active;
    },
  };
  return out;
}

/** Options every command gets from the global flags. */
export interface CommandContext {
  /** The directory to run in (-C), or undefined for the process's cwd. */
  cwd: string | undefined;
  out: Output;
  /** -v/--verbose: more detail where a command has it (every file of a checkpoint or restore, every ref of a push). */
  verbose: boolean;
  /** --color <when>; undefined: auto, after git's color.ui and the environment (terminal.ts). */
  color: ColorWhen | undefined;
  /** False with --no-pager. */
  pager: boolean;
}

/** The global flags as commander parsed them. */
export interface GlobalFlags {
  C?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: ColorWhen;
  pager?: boolean;
}

/** The context a command runs with, from the global flags. */
export function commandContext(flags: GlobalFlags): CommandContext {
  return {
    cwd: flags.C,
    out: createOutput({ json: Boolean(flags.json), quiet: Boolean(flags.quiet) }),
    verbose: Boolean(flags.verbose),
    color: flags.color,
    pager: flags.pager !== false,
  };
}

/**
 * Runs `work` with a progress line (see Output.progress), erased when it ends however it ends, so an error message
 * never lands on the end of a half-drawn line.
 */
export async function withProgress<T>(ctx: CommandContext, first: ProgressPhase | undefined, work: (onProgress: ProgressLine['onProgress']) => Promise<T>): Promise<T> {
  const line = ctx.out.progress(first);
  try {
    return await work(line.onProgress);
  } finally {
    line.done();
  }
}
