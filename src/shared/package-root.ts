import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root folder (package.json, hooks/, dist/). This file sits two folders below it both as
 * TypeScript (src/shared/), as compiled ESM (dist/shared/) and inside the CommonJS bundles (dist/bundle/, where the
 * bundler gives `import.meta.url` the bundle's own URL), so one relative URL serves all three.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI's launcher, for processes specmap starts itself (detached workers) and for hook shims. */
export const CLI_ENTRY = join(PACKAGE_ROOT, 'dist', 'bin', 'specmap.cjs');

/** The git hook shims' entry: `node git-hook.cjs <hook>`. */
export const GIT_HOOK_ENTRY = join(PACKAGE_ROOT, 'dist', 'bin', 'git-hook.cjs');

/** specmap's version, from its package.json ('0.0.0' when it cannot be read). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
