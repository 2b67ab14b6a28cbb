import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Everything a command could change in a repository, read without changing it: every entry under `dir` (the .git
 * folder included: refs, packed-refs, objects, index, HEAD, logs, specmap's caches and queues) with its type, mode
 * and the SHA-256 of its bytes or its link target, then `git for-each-ref`, HEAD and the index as git lists them.
 * Two snapshots compare equal only when nothing at all changed. `git status` is never run: it may rewrite the index.
 */
export function repoState(dir: string, env: NodeJS.ProcessEnv, opts: { bare?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${mode}`;
        walk(p, r);
      } else out[r] = `file ${mode} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir, '');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
  out['<for-each-ref>'] = git('for-each-ref', '--format=%(refname) %(objectname)');
  out['<HEAD>'] = git('rev-parse', '--symbolic-full-name', 'HEAD') + git('rev-parse', 'HEAD');
  if (!opts.bare) out['<index>'] = git('ls-files', '-s', '-z');
  return out;
}

/** The SHA-256 of a file's bytes. */
export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under `dir` (none when it is missing), relative path → SHA-256 of its bytes, sorted by path. */
export function fileHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), sha256(readFileSync(p)));
    }
  };
  walk(dir);
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}
