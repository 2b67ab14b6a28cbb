import { SpecmapError, isSpecmapError } from '../../shared/errors.js';

/**
 * The backup_offsite_* tools take no remote: over MCP the off-site copy is always the one the person configured
 * (`backup: {offsite: …}` in 04-agents/config.yaml). An rclone remote is any destination (`:webdav,url=…:` names a
 * server inline), so a remote a model chose could send the project's backups anywhere, or fetch files from anywhere.
 * Runs `call` and says the missing setting in this server's terms.
 */
export async function configuredOffsite<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!isSpecmapError(err) || err.code !== 'USAGE' || err.details.kind !== 'no-remote') throw err;
    throw new SpecmapError(
      err.code,
      "no off-site copy is configured: set backup: {offsite: <rclone remote or folder>} in 04-agents/config.yaml (the MCP tools use only that one)",
      err.details,
    );
  }
}
