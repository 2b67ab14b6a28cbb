import { SpecmapError, isSpecmapError } from '../../shared/errors.js';

/**
 * The CLI's words for what the domain leaves to its caller: an existing destination is replaced with --force, and
 * an unknown backup is looked up with `list` (a command line), an unchanged checkpoint is forced with --allow-empty. Errors are matched on code and details.kind.
 */
export async function withCliHints<T>(work: Promise<T>, list?: string): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!isSpecmapError(err)) throw err;
    const hint = err.code === 'CONFLICT' && err.details.kind === 'exists' ? '(use --force to replace it)'
      : err.code === 'BACKUP_NOT_FOUND' && err.details.kind === 'not-found' && list ? `(see '${list}')`
      : err.code === 'NOTHING_TO_DO' && err.details.kind === 'unchanged' ? '(use --allow-empty to checkpoint anyway)'
      : undefined;
    throw hint ? new SpecmapError(err.code, `${err.message} ${hint}`, err.details) : err;
  }
}

/** The whole message the CLI prints for an error: the domain's sentence, plus where to look when a session is unknown. */
export function cliMessage(err: SpecmapError): string {
  return err.code === 'SESSION_NOT_FOUND' && err.details.list === 'sessions' ? `${err.message} (see 'specmap list --all')` : err.message;
}
