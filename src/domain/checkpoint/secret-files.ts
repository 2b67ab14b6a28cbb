import { strongSecrets } from '../agent/redact.js';
import type { RepoPaths } from '../../storage/git/repo.js';
import { blobSizes, readBlobs } from '../../storage/git/objects.js';
import type { RawChange } from '../../storage/git/tree-edit.js';
import type { ProjectConfig } from '../project/config.js';

/**
 * Files a checkpoint never takes unless they are named exactly: environment files, private keys, credential
 * stores and cloud credential files (`credentials.json`). A name without a slash matches at any depth. `id_*` is
 * spelled out as the SSH key names (and their `.pub` halves), since the pattern itself would also catch ordinary
 * sources (`id_generator.ts`); `.env.*` also catches templates such as `.env.example`, which are then snapshotted
 * only when named.
 */
export const DEFAULT_SECRET_FILES = [
  '.env', '.env.*', '*.pem', '*.key', '*.p12', '*.pfx', '*.jks', '*.keystore',
  'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*', 'credentials*.json', '.netrc', '.pgpass',
];

/** The secrets rules of a project as project-relative globs (config.yaml's `secrets.files`, after the defaults unless `secrets.defaults: false`). */
export function secretGlobs(config: Pick<ProjectConfig, 'secretFiles'>): string[] {
  return config.secretFiles.map((p) => (p.includes('/') ? p.replace(/^\/+/, '') : `**/${p}`));
}

/** New files larger than this are not read for keys (a key is a short text). */
const SCAN_MAX_BYTES = 1024 * 1024;

/**
 * The new files among `added` whose content holds a documented key format or a private key block (the strong
 * redaction rules): a checkpoint leaves them out unless they are named. Text files up to 1 MiB are read. Only new
 * files: a change to a file the session already has is never dropped (that would lose work from the checkpoint).
 */
export async function newFilesHoldingSecrets(repo: RepoPaths, added: RawChange[]): Promise<RawChange[]> {
  const blobs = added.filter((c) => c.status === 'A' && !c.mode.startsWith('12') && !c.mode.startsWith('16'));
  if (blobs.length === 0) return [];
  const sizes = await blobSizes(repo, blobs.map((c) => c.oid));
  const small = blobs.filter((c) => (sizes.get(c.oid) ?? Infinity) <= SCAN_MAX_BYTES);
  const contents = await readBlobs(repo, small.map((c) => c.oid));
  return small.filter((_, i) => {
    const data = contents[i];
    return data !== undefined && !data.includes(0) && strongSecrets(data.toString('utf8')).length > 0;
  });
}
