import type { Command } from 'commander';
import type { CommandContext } from '../output.js';

/** A command's module, imported only when it runs, so start-up stays lean for hooks (see main.ts). */
export type Loader = () => Promise<{ run: (ctx: CommandContext, ...args: any[]) => Promise<void> }>;

/** Turns a loader into a commander action: global options into the context, then the module's `run`. */
export type ActionFor = (load: Loader) => (...args: unknown[]) => Promise<void>;

/** Adds one group of commands to the program. */
export type Register = (program: Command, action: ActionFor) => void;

/** How every command that takes a session describes it. */
export const SESSION = 'session id, unique prefix, or @ for the only active one';
