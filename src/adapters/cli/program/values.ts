import { Argument, Option } from 'commander';
import { SpecmapError } from '../../../shared/errors.js';

/**
 * What the shell can offer for an argument or an option value. Files, folders, git remotes and branches are the
 * shell's own (or git's); the rest come from `specmap __complete <kind>`, which reads the 04-agents folders without
 * git (src/api/completion-words.ts has the list).
 */
export type ValueKind =
  | 'file'
  | 'dir'
  | 'remote'
  | 'branch'
  | 'session'
  | 'active'
  | 'checkpoint'
  | 'session-or-checkpoint'
  | 'checkpoint-of-prev'
  | 'session-backup'
  | 'daily'
  | 'milestone'
  | 'backup'
  | 'template';

/** A dynamic kind, a fixed list of words to suggest (without enforcing them: use `.choices()` for that), or none. */
export type Values = ValueKind | { suggest: readonly string[] };

const VALUES = new WeakMap<Argument | Option, Values>();

/** Tags an argument or option with what completion offers for it. */
export function completes<T extends Argument | Option>(item: T, values: Values): T {
  VALUES.set(item, values);
  return item;
}

/** What completion offers: the tag, else commander's `.choices()`, else nothing. */
export function valuesOf(item: Argument | Option): Values | undefined {
  const tagged = VALUES.get(item);
  if (tagged) return tagged;
  return item.argChoices ? { suggest: item.argChoices } : undefined;
}

/** An argument, optionally with what completion offers and a default. */
export function arg(name: string, description: string, values?: Values, defaultValue?: string): Argument {
  const a = new Argument(name, description);
  if (defaultValue !== undefined) a.default(defaultValue);
  return values ? completes(a, values) : a;
}

/** An option, optionally with what completion offers for its value. */
export function opt(flags: string, description: string, values?: Values): Option {
  const o = new Option(flags, description);
  return values ? completes(o, values) : o;
}

/**
 * An option taking a whole number (0 or more): parsed while the command line is, so a bad value is one line naming
 * the flag as typed in the help (`--keep-daily wants a whole number, 0 or more, got "x"`), exit 5 like other bad
 * values, before anything runs.
 */
export function countOption(flags: string, description: string): Option {
  const o = new Option(flags, description);
  // Both spellings when it has both: the one typed is among them (`-n/--max-count wants …`).
  const name = [o.short, o.long].filter(Boolean).join('/') || flags;
  return o.argParser((text: string) => {
    if (!/^\d{1,9}$/.test(text)) throw new SpecmapError('INVALID_INPUT', `${name} wants a whole number, 0 or more, got ${JSON.stringify(text)}`);
    return Number(text);
  });
}
