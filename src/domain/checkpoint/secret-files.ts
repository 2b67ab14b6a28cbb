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
