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

/** Blobs larger than this are not read for keys (a key is a short text; a large file is an image, an archive, a build). */
const SCAN_MAX_BYTES = 1024 * 1024;

/**
 * The key formats (strong redaction rules, private key blocks) each of `blobs` holds, for those that hold any:
 * text blobs up to 1 MiB are read (their sizes from the caller, else one `cat-file --batch-check`), in one
 * `cat-file --batch`. The one content scan for checkpoints and `push`.
 */
export async function secretsInBlobs<B extends { oid: string; size?: number }>(repo: RepoPaths, blobs: B[]): Promise<{ blob: B; kinds: string[] }[]> {
  if (blobs.length === 0) return [];
  // Sizes the caller already has are not asked of git again.
  const sizes = blobs.every((b) => b.size !== undefined) ? new Map(blobs.map((b) => [b.oid, b.size!])) : await blobSizes(repo, blobs.map((b) => b.oid));
  const small = blobs.filter((b) => (sizes.get(b.oid) ?? Infinity) <= SCAN_MAX_BYTES);
  const contents = await readBlobs(repo, small.map((b) => b.oid));
  return small.flatMap((blob, i) => {
    const data = contents[i];
    if (!data || data.includes(0)) return [];
    const kinds = strongSecrets(data.toString('utf8'));
    return kinds.length > 0 ? [{ blob, kinds }] : [];
  });
}

/**
 * The new files among `added` whose content holds a documented key format or a private key block: a checkpoint
 * leaves them out unless they are named. Only new files: a change to a file the session already has is never
 * dropped (that would lose work from the checkpoint).
 */
export async function newFilesHoldingSecrets(repo: RepoPaths, added: RawChange[]): Promise<RawChange[]> {
  const files = added.filter((c) => c.status === 'A' && !c.mode.startsWith('12') && !c.mode.startsWith('16'));
  return (await secretsInBlobs(repo, files)).map((f) => f.blob);
}
