import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prng, seedOf } from './prng.mjs';
import { WORK, benchEnv, ensureDir, git, registerScratch, rmrf, run } from './exec.mjs';

/** Bump when the generator's output changes, so cached repositories are rebuilt. */
const GEN_VERSION = 2;

/**
 * Repository sizes. S, M and L are the sizes of issue #8 (log-uniform 300 B–20 KB files, mean ~4.7 KB); XL and XXL
 * (issue #19) are many small files (200 B–2 KB, mean ~800 B) and no binaries, so 250,000 files stay ~200 MB of text.
 */
export const SIZES = {
  S: { files: 1_000, binaries: 2, minBytes: 300, maxBytes: 20_000 },
  M: { files: 10_000, binaries: 10, minBytes: 300, maxBytes: 20_000 },
  L: { files: 50_000, binaries: 10, minBytes: 300, maxBytes: 20_000 },
  XL: { files: 100_000, binaries: 0, minBytes: 200, maxBytes: 2_000 },
  XXL: { files: 250_000, binaries: 0, minBytes: 200, maxBytes: 2_000 },
};
/** The sizes a run without --no-large includes beyond S and M. */
export const LARGE_SIZES = ['L', 'XL', 'XXL'];
/**
 * Everything generated derives from this seed and the size's name; it is part of the cache key. 0 keeps the files
 * of the runs before issue #19 (the seeds were the size's name alone).
 */
export const GEN_SEED = 0;
const seeded = (label) => prng((seedOf(label) ^ GEN_SEED) >>> 0);
const BIN_BYTES = 5 * 1024 * 1024;
const EXTS = ['ts', 'ts', 'ts', 'js', 'md', 'json', 'py'];

/** Fixed dates make every generated commit (and so every cached repository) identical run to run. */
const FIXED_TIME = '1735689600 +0000';

let pool;
/** 4 MB of code-like text; files are slices of it at random offsets, so they compress and diff like source. */
function textPool() {
  if (pool) return pool;
  const r = prng(42);
  const syll = ['ka', 'lo', 'mi', 'ren', 'to', 'sa', 'vel', 'qu', 'ix', 'an', 'dor', 'pe', 'zu', 'mon', 'hal'];
  const word = () => Array.from({ length: 1 + r.int(3) }, () => syll[r.int(syll.length)]).join('');
  const words = Array.from({ length: 600 }, word);
  const w = () => words[r.int(words.length)];
  const forms = [
    () => `const ${w()}_${w()} = ${w()}(${w()}, ${r.int(1000)});`,
    () => `if (${w()}.${w()} > ${r.int(100)}) return ${w()};`,
    () => `// ${w()} ${w()} ${w()} ${w()} ${w()}`,
    () => `export function ${w()}${w()}(${w()}: string): number {`,
    () => '}',
    () => `  ${w()}.${w()}(${JSON.stringify(w())});`,
  ];
  const lines = [];
  let len = 0;
  while (len < 4 * 1024 * 1024) {
    const line = `${'  '.repeat(r.int(3))}${forms[r.int(forms.length)]()}\n`;
    lines.push(line);
    len += line.length;
  }
  pool = Buffer.from(lines.join(''));
  return pool;
}

function poolSlice(r, bytes) {
  const p = textPool();
  const off = r.int(p.length - bytes);
  return p.subarray(off, off + bytes);
}

const listCache = new Map();
/** The text files of a generated repository: path and size, in generation order. */
export function textFiles(size) {
  if (listCache.has(size)) return listCache.get(size);
  const spec = SIZES[size];
  const r = seeded(`files:${size}`);
  const lo = Math.log(spec.minBytes);
  const hi = Math.log(spec.maxBytes);
  const out = [];
  for (let i = 0; i < spec.files - spec.binaries; i += 1) {
    const path = `src/p${Math.floor(i / 400)}/m${Math.floor(i / 20) % 20}/f${i}.${EXTS[i % EXTS.length]}`;
    // Log-uniform sizes: a long tail like real source trees.
    const bytes = Math.floor(Math.exp(lo + r.next() * (hi - lo)));
    out.push({ path, bytes });
  }
  listCache.set(size, out);
  return out;
}

/**
 * Writes the working tree and, from the same bytes, a `git fast-import` stream of one commit: git stores the
 * objects straight into one pack instead of hashing, compressing and writing a loose object per file (`add -A`).
 */
function writeTree(dir, size) {
  const spec = SIZES[size];
  const r = seeded(`content:${size}`);
  const made = new Set();
  const chunks = [];
  const files = [];
  const put = (rel, content, { tracked = true } = {}) => {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    const d = rel.includes('/') ? join(dir, rel.slice(0, rel.lastIndexOf('/'))) : dir;
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    writeFileSync(join(dir, rel), data);
    if (!tracked) return;
    const mark = files.length + 1;
    chunks.push(Buffer.from(`blob\nmark :${mark}\ndata ${data.length}\n`), data, Buffer.from('\n'));
    files.push(`M 100644 :${mark} ${rel}\n`);
  };
  for (const f of textFiles(size)) put(f.path, Buffer.concat([Buffer.from(`// ${f.path}\n`), poolSlice(r, f.bytes)]));
  for (let k = 0; k < spec.binaries; k += 1) put(`assets/blob-${k}.bin`, r.bytes(BIN_BYTES));
  // Ignored files, so `add -A` has to honour .gitignore as in a real project.
  for (let k = 0; k < 20; k += 1) put(`build/out-${k}.js`, poolSlice(r, 2000), { tracked: false });
  put('debug.log', 'ignored\n', { tracked: false });
  put('.gitignore', 'build/\n*.log\n# specmap: ZIP backups stay out of git history\n/04-agents/backups/\n');
  put('README.md', `# generated ${size} repository (bench)\n`);
  const message = `generated ${size} repository\n`;
  chunks.push(Buffer.from(
    `commit refs/heads/main\nauthor bench <bench@localhost> ${FIXED_TIME}\ncommitter bench <bench@localhost> ${FIXED_TIME}\n`
      + `data ${Buffer.byteLength(message)}\n${message}${files.join('')}\ndone\n`,
  ));
  return Buffer.concat(chunks);
}

const cacheDir = (size) => join(WORK, 'cache', `repo-${size}-${SIZES[size].files}f-seed${GEN_SEED}-g${GEN_VERSION}`);

/**
 * The pristine repository of a size, generated once and cached under bench/.work/cache, keyed by size, file
 * count, seed and generator version (one commit in one pack, the 04-agents/backups/ ignore line already committed
 * so `specmap start` changes no file, the index's stat data current).
 */
export function pristineRepo(size, log = () => {}) {
  const dir = cacheDir(size);
  if (existsSync(join(dir, '.git', 'bench-ready'))) return dir;
  const t0 = Date.now();
  const tmp = `${dir}.tmp`;
  rmrf(tmp);
  rmrf(dir);
  ensureDir(tmp);
  git(tmp, ['init', '-q', '-b', 'main']);
  const stream = writeTree(tmp, size);
  const tWrite = Date.now();
  // Blobs over 1 MB (the binaries) are stored without trying deltas; text blobs are random slices, rarely deltas.
  const fi = spawnSync('git', ['fast-import', '--quiet', '--done', '--big-file-threshold=1m'], {
    cwd: tmp, env: benchEnv(), input: stream, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (fi.status !== 0) throw new Error(`git fast-import for ${size} exited ${fi.status}: ${fi.stderr}`);
  const tImport = Date.now();
  // The index from the commit, then its stat data from the files (hashing only; no object is written).
  git(tmp, ['read-tree', 'HEAD']);
  git(tmp, ['update-index', '-q', '--refresh'], { okCodes: [0, 1] });
  const dirty = git(tmp, ['status', '--porcelain', '--untracked-files=no']).stdout.trim();
  if (dirty) throw new Error(`generated ${size} repository does not match its commit: ${dirty.slice(0, 300)}`);
  writeFileSync(join(tmp, '.git', 'bench-ready'), `${GEN_VERSION}\n`);
  renameSync(tmp, dir);
  const s = (a, b) => ((b - a) / 1000).toFixed(1);
  log(`generated ${size} (${SIZES[size].files.toLocaleString('en')} files) in ${s(t0, Date.now())} s: files ${s(t0, tWrite)} s, fast-import ${s(tWrite, tImport)} s, index ${s(tImport, Date.now())} s`);
  return dir;
}

/** Cached repositories of older generator versions or seeds: removed when their size is generated again. */
export function dropStaleCaches(log = () => {}) {
  const root = join(WORK, 'cache');
  if (!existsSync(root)) return;
  const keep = new Set(Object.keys(SIZES).map((s) => cacheDir(s).slice(root.length + 1)));
  for (const name of readdirSync(root)) {
    if (/^repo-/.test(name) && !keep.has(name)) {
      rmSync(join(root, name), { recursive: true, force: true });
      log(`removed stale cache ${name}`);
    }
  }
}

/**
 * Copies a repository folder and makes the index's stat data current, so no measured command re-hashes it. With
 * `link`, the working tree's files are hard links to the source's (seconds instead of minutes for 100,000 files;
 * no disk) and .git is copied: git replaces files rather than writing into them, and so does the harness
 * (replaceFile), so the source stays as it was. A link changes the shared inode's ctime, so copies of the same
 * source must all be made before any is measured (each gets its refresh here).
 */
export function copyRepo(src, dest, { link = false } = {}) {
  rmrf(dest);
  ensureDir(dirname(dest));
  if (link) {
    run('cp', ['-al', src, dest]);
    rmrf(join(dest, '.git'));
    run('cp', ['-a', join(src, '.git'), join(dest, '.git')]);
  } else {
    run('cp', ['-a', src, dest]);
  }
  rmrf(join(dest, '.git', 'bench-ready'));
  // cp gives every file a new inode and ctime; refresh once so no measured command pays for re-hashing the repo.
  git(dest, ['update-index', '-q', '--refresh'], { okCodes: [0, 1] });
  return dest;
}

/** Sizes whose working copies are hard-linked (copying 50,000+ small files costs a minute or more here). */
const linked = (size) => SIZES[size].files >= 50_000;

/** A disposable copy of a pristine repository under bench/.work/run (removed at the end of the run unless --keep). */
export function workingCopy(size, name, log) {
  const src = pristineRepo(size, log);
  if (linked(size)) {
    // Hard links share the pristine's files: prove nothing wrote into them (ctime is moved by every link; ignore it).
    const r = git(src, ['-c', 'core.trustctime=false', 'diff', '--quiet'], { okCodes: [0, 1] });
    if (r.status !== 0) throw new Error(`the cached ${size} repository ${src} was modified through a hard link; delete it to regenerate`);
  }
  const dest = registerScratch(join(WORK, 'run', name));
  const t0 = Date.now();
  copyRepo(src, dest, { link: linked(size) });
  if (linked(size)) log?.(`  linked ${size} to run/${name} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return dest;
}

/** Replaces a file with a new one (never writes into the old inode, so a hard-linked copy stays untouched). */
export function replaceFile(path, data) {
  rmSync(path, { force: true });
  writeFileSync(path, data);
}

/**
 * Changes `n` files in a working copy: two thirds modified tracked files, one third new untracked ones under
 * new/. The same files every iteration (different content), so each checkpoint sees exactly `n` changes.
 */
export function applyChanges(dir, size, n, iteration, { tag = '' } = {}) {
  const files = textFiles(size);
  const pick = seeded(`pick:${size}:${n}${tag}`);
  const nNew = Math.floor(n / 3);
  const nMod = n - nNew;
  const idx = Array.from({ length: files.length }, (_, i) => i);
  for (let i = 0; i < nMod; i += 1) {
    const j = i + pick.int(idx.length - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const r = seeded(`edit:${size}:${n}${tag}:${iteration}`);
  const modified = idx.slice(0, nMod).map((i) => files[i].path);
  for (const p of modified) {
    replaceFile(join(dir, p), Buffer.concat([Buffer.from(`// bench edit ${iteration}\n`), poolSlice(r, 1000 + r.int(7000))]));
  }
  const added = [];
  const folder = `new/c${n}${tag}`;
  if (nNew > 0) mkdirSync(join(dir, folder), { recursive: true });
  for (let j = 0; j < nNew; j += 1) {
    const p = `${folder}/n${j}.ts`;
    replaceFile(join(dir, p), Buffer.concat([Buffer.from(`// new ${iteration}\n`), poolSlice(r, 1000 + r.int(7000))]));
    added.push(p);
  }
  return { modified, added };
}

/** Puts tracked files back to HEAD and removes the new files, so the next case starts from a clean tree. */
export function resetChanges(dir) {
  git(dir, ['checkout', '-q', '--', '.']);
  rmrf(join(dir, 'new'));
}
