import { BACKUPS_DIR } from './layout.js';

/**
 * What a checkpoint never contains (git glob pathspecs): the ZIP exports, and the files specmap itself rewrites
 * at every checkpoint (session.yaml and the snapshot manifests). Without the latter, every checkpoint would
 * "change" something and an unchanged tree could never be detected.
 */
export const SNAPSHOT_EXCLUDES = [
  `${BACKUPS_DIR}/**`,
  '04-agents/sessions/*/*/session.yaml',
  '04-agents/sessions/*/*/snapshots/**',
];

const MANAGED = [
  new RegExp(`^${BACKUPS_DIR}(/|$)`),
  /^04-agents\/sessions\/[^/]+\/[^/]+\/session\.yaml$/,
  /^04-agents\/sessions\/[^/]+\/[^/]+\/snapshots(\/|$)/,
];

/** True for project paths inside SNAPSHOT_EXCLUDES. */
export function isManagedPath(path: string): boolean {
  return MANAGED.some((re) => re.test(path));
}
