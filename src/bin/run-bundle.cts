// Loads one of specmap's CommonJS bundles (dist/bundle/) with a V8 code cache, then runs its `main`.
//
// Why: Node compiles a 600 KB bundle in ~25 ms on every start; with V8's cached data it deserialises in a few.
// One cache file per bundle, command and Node build, so each command's cache holds the functions that command
// actually ran (V8 caches only what was compiled by the time the cache is made, which is after the command ends).
// The cache is rebuildable, so it is written without fsync, atomically (temporary name, then rename), and only to a
// folder owned by this user and closed to others: cached bytecode runs as code, so a folder someone else could
// write to must never be read from.
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import vm = require('node:vm');
import nodeModule = require('node:module');

type Main = (argv: string[]) => Promise<number>;

function cacheFolder(): string | undefined {
  if (typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  const dir = path.join(os.tmpdir(), `specmap-code-cache-${uid}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const st = fs.lstatSync(dir);
    return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

function cacheFile(bundle: string, size: number, mtimeMs: number, command: string): string | undefined {
  const dir = cacheFolder();
  if (!dir) return undefined;
  // V8 checks the source and its own version and flags itself (a mismatch is rejected, then rewritten); the name
  // only keeps installs, builds and Node versions from taking turns over one file.
  let h = 0x811c9dc5;
  for (let i = 0; i < bundle.length; i++) h = Math.imul(h ^ bundle.charCodeAt(i), 0x01000193) >>> 0;
  const build = `${h.toString(36)}-${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}-${process.version}-${process.arch}`;
  return path.join(dir, `${path.basename(bundle, '.cjs')}-${build}-${command}.bin`);
}

/** The command word the cache is kept for: argv's first plain word, if it looks like one. */
function commandOf(argv: string[]): string {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-C') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return /^[a-z][a-z-]{0,30}$/.test(a) ? a : 'other';
  }
  return 'none';
}

/** Writes the cache, then drops this bundle's caches for the same command from other builds (rarely: only on a write). */
function writeCache(file: string, script: vm.Script): void {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, file);
    const dir = path.dirname(file);
    const [name, pathHash] = path.basename(file).split('-');
    const command = file.slice(file.lastIndexOf('-'));
    for (const other of fs.readdirSync(dir)) {
      if (other.startsWith(`${name}-${pathHash}-`) && other.endsWith(command) && path.join(dir, other) !== file) fs.rmSync(path.join(dir, other), { force: true });
    }
  } catch {
    // A cache that cannot be written only costs the next start its compile time.
  }
}

/** Compiles `bundle` (with the cache when there is a valid one), runs its exported `main(argv)` and returns its exit status. */
async function runBundle(bundle: string, argv: string[]): Promise<number> {
  const source = fs.readFileSync(bundle, 'utf8');
  let cache: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    const st = fs.statSync(bundle);
    cache = cacheFile(bundle, st.size, st.mtimeMs, commandOf(argv));
    if (cache) cachedData = fs.readFileSync(cache);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(nodeModule.wrap(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} as { main?: Main } };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, nodeModule.createRequire(bundle), mod, bundle, path.dirname(bundle));
  const main = mod.exports.main;
  if (typeof main !== 'function') throw new Error(`${bundle} exports no main()`);
  const status = await main(argv);
  // Only a command that ran to success is worth keeping: a typo'd command word must not leave a cache behind.
  if (cache && status === 0 && (!cachedData || script.cachedDataRejected)) writeCache(cache, script);
  return status;
}

export = { runBundle };
