/**
 * The one shape of specmap's temporary names: `.<name>.specmap-<pid>-<n>.tmp`, beside the file or folder they
 * become (atomic writes, folders built aside, files an in-place restore has staged beside their targets). Distinct
 * enough that no user file is taken for one: doctor removes them anywhere in the project, and checkpoints never
 * take them (TEMP_GLOBS).
 */
export function tempName(base: string, pid: number, n: number): string {
  return `.${base}.specmap-${pid}-${n}.tmp`;
}

const TEMP_RE = /^\..+\.specmap-(\d+)-\d+\.tmp$/s;

/** The pid of the process that made the temp name `name` (a base name), or undefined when it is not one of ours. */
export function tempNameOwner(name: string): number | undefined {
  const m = TEMP_RE.exec(name);
  return m ? Number(m[1]) : undefined;
}

export function isTempName(name: string): boolean {
  return TEMP_RE.test(name);
}

/** The same names as git `glob` pathspecs (project-relative), for what a snapshot must leave out. */
export const TEMP_GLOBS = ['**/.*.specmap-*-*.tmp', '**/.*.specmap-*-*.tmp/**'] as const;

