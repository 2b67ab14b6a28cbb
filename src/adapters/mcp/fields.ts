import { z } from 'zod';

/** Input fields several tools share, each described for the model. */

export const projectPath = z
  .string()
  .min(1)
  .optional()
  .describe("The project's root folder (any folder inside its git repository works). Defaults to the server's working directory.");

export const sessionId = z
  .string()
  .min(1)
  .max(200)
  .describe('The session id, e.g. 2025-10-25-session-001-authentication (a unique prefix or the session number also works).');

/** A checkpoint of the session, as the model names it. */
export const checkpointRef = z
  .string()
  .min(1)
  .max(200)
  .describe('A checkpoint of the session: its id (checkpoint-002, or a unique prefix) or ~N for N before the newest (~0 is the newest).');

/** Metadata values arrive as JSON scalars; session.yaml stores them as strings, as the CLI's --meta does. */
export const metadataValue = z.union([z.string(), z.number(), z.boolean()]);

/** Sizes and counts as the tools' text lines show them: the CLI's units (512 B, 1.5 KiB, 3.2 MiB; "1 file"). */
export { count, humanBytes } from '../cli/units.js';
