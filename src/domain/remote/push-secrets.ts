import { SpecmapError } from '../../shared/errors.js';
import { globToRegExp } from '../../shared/glob.js';
import { secretGlobs, secretsInBlobs } from '../checkpoint/secret-files.js';
import { projectConfig } from '../project/config.js';
import type { Project } from '../project/project.js';
import { newBlobs } from '../../storage/git/objects.js';

export interface SecretFinding {
  path: string;
  /** What was found: a secrets rule of the file's name, or the key formats in its content. */
  what: string[];
}

/**
 * What a push of `refs` would publish that looks like a secret: files that match the secrets rules by name (a
 * person can name one into a checkpoint), and text files whose content holds a documented key format or a private
 * key. Only objects the sessions add are read: none the remote already has (by the refs tracked under
 * refs/remotes/<remote>/) or that a local branch holds.
 */
export async function secretsToPublish(project: Project, refs: string[], remote: string): Promise<SecretFinding[]> {
  // Not what the remote already has, nor what is on a local branch: the user's own code is pushed (or not) by git.
  const blobs = await newBlobs(project.git, refs, ['--branches', `--glob=refs/remotes/${remote}/*`]);
  const byName = secretGlobs(projectConfig(project)).map(globToRegExp);
  const findings = new Map<string, SecretFinding>();
  const note = (path: string, what: string) => {
    const f = findings.get(path) ?? { path, what: [] };
    if (!f.what.includes(what)) f.what.push(what);
    findings.set(path, f);
  };
  for (const b of blobs) if (byName.some((re) => re.test(b.path))) note(b.path, 'a secret file name');
  for (const { blob, kinds } of await secretsInBlobs(project.git, blobs)) for (const kind of kinds) note(blob.path, kind);
  return [...findings.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** SECRETS_FOUND naming what was found, unless there is nothing. */
export function refuseSecrets(findings: SecretFinding[], remote: string): void {
  if (findings.length === 0) return;
  const list = findings.slice(0, 5).map((f) => `${f.path} (${f.what.join(', ')})`).join('; ');
  const more = findings.length > 5 ? ` and ${findings.length - 5} more` : '';
  throw new SpecmapError(
    'SECRETS_FOUND',
    `refusing to push to ${remote}: the sessions hold what looks like secrets: ${list}${more}; remove them from the session (restore an earlier checkpoint, or start afresh) or push with --allow-secrets`,
    { findings },
  );
}
