import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng, seedOf } from './prng.mjs';
import { WORK, benchEnv, ensureDir, git, rmrf, run } from './exec.mjs';

/** Bump when the generator's output changes, so cached repositories are rebuilt. */
const GEN_VERSION = 1;

export const SIZES = {
  S: { files: 1_000, binaries: 2 },
  M: { files: 10_000, binaries: 10 },
  L: { files: 50_000, binaries: 10 },
};
const BIN_BYTES = 5 * 1024 * 1024;
const EXTS = ['ts', 'ts', 'ts', 'js', 'md', 'json', 'py'];

/** Fixed dates make every generated commit (and so every cached repository) identical run to run. */
const FIXED_DATES = { GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z' };

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
  const r = prng(seedOf(`files:${size}`));
  const out = [];
  for (let i = 0; i < spec.files - spec.binaries; i += 1) {
    const path = `src/p${Math.floor(i / 400)}/m${Math.floor(i / 20) % 20}/f${i}.${EXTS[i % EXTS.length]}`;
    // Log-uniform 300 B .. 20 KB: mean about 4.7 KB, a long tail like real source trees.
    const bytes = Math.floor(Math.exp(Math.log(300) + r.next() * (Math.log(20_000) - Math.log(300))));
    out.push({ path, bytes });
  }
  listCache.set(size, out);
  return out;
}

function writeTree(dir, size) {
  const spec = SIZES[size];
  const r = prng(seedOf(`content:${size}`));
  const made = new Set();
  const put = (rel, data) => {
    const d = join(dir, rel.slice(0, rel.lastIndexOf('/')));
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    writeFileSync(join(dir, rel), data);
  };
  for (const f of textFiles(size)) put(f.path, Buffer.concat([Buffer.from(`// ${f.path}\n`), poolSlice(r, f.bytes)]));
  for (let k = 0; k < spec.binaries; k += 1) put(`assets/blob-${k}.bin`, r.bytes(BIN_BYTES));
  // Ignored files, so `add -A` has to honour .gitignore as in a real project.
  for (let k = 0; k < 20; k += 1) put(`build/out-${k}.js`, poolSlice(r, 2000));
  put('debug.log', 'ignored\n');
  writeFileSync(join(dir, '.gitignore'), 'build/\n*.log\n# specmap: ZIP backups stay out of git history\n/04-agents/backups/\n');
  writeFileSync(join(dir, 'README.md'), `# generated ${size} repository (bench)\n`);
}

/**
 * The pristine repository of a size, generated once and cached under bench/.work/cache (one commit, packed
 * without deltas, the 04-agents/backups/ ignore line already committed so `specmap start` changes no file).
 */
export function pristineRepo(size, log = () => {}) {
  const dir = join(WORK, 'cache', `repo-${size}-g${GEN_VERSION}`);
  if (existsSync(join(dir, '.git', 'bench-ready'))) return dir;
  const t0 = Date.now();
  const tmp = `${dir}.tmp`;
  rmrf(tmp);
  rmrf(dir);
  ensureDir(tmp);
  writeTree(tmp, size);
  const env = benchEnv(FIXED_DATES);
  git(tmp, ['init', '-q', '-b', 'main'], { env });
  git(tmp, ['add', '-A'], { env });
  git(tmp, ['commit', '-q', '-m', `generated ${size} repository`], { env });
  git(tmp, ['repack', '-a', '-d', '-q', '--window=0'], { env });
  git(tmp, ['prune-packed'], { env });
  writeFileSync(join(tmp, '.git', 'bench-ready'), `${GEN_VERSION}\n`);
  renameSync(tmp, dir);
  log(`generated ${size} (${SIZES[size].files} files) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}

/** A disposable copy of a pristine repository under bench/.work/run, with the index's stat data made current. */
export function workingCopy(size, name, log) {
  const src = pristineRepo(size, log);
  const dest = join(WORK, 'run', name);
  rmrf(dest);
  ensureDir(join(WORK, 'run'));
  run('cp', ['-a', src, dest]);
  rmrf(join(dest, '.git', 'bench-ready'));
  // cp gives every file a new inode and ctime; refresh once so no measured command pays for re-hashing the repo.
  git(dest, ['update-index', '-q', '--refresh'], { okCodes: [0, 1] });
  return dest;
}

/**
 * Changes `n` files in a working copy: two thirds modified tracked files, one third new untracked ones under
 * new/. The same files every iteration (different content), so each checkpoint sees exactly `n` changes.
 */
export function applyChanges(dir, size, n, iteration) {
  const files = textFiles(size);
  const pick = prng(seedOf(`pick:${size}:${n}`));
  const nNew = Math.floor(n / 3);
  const nMod = n - nNew;
  const idx = Array.from({ length: files.length }, (_, i) => i);
  for (let i = 0; i < nMod; i += 1) {
    const j = i + pick.int(idx.length - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const r = prng(seedOf(`edit:${size}:${n}:${iteration}`));
  const modified = idx.slice(0, nMod).map((i) => files[i].path);
  for (const p of modified) {
    writeFileSync(join(dir, p), Buffer.concat([Buffer.from(`// bench edit ${iteration}\n`), poolSlice(r, 1000 + r.int(7000))]));
  }
  const added = [];
  if (nNew > 0) mkdirSync(join(dir, 'new', `c${n}`), { recursive: true });
  for (let j = 0; j < nNew; j += 1) {
    const p = `new/c${n}/n${j}.ts`;
    writeFileSync(join(dir, p), Buffer.concat([Buffer.from(`// new ${iteration}\n`), poolSlice(r, 1000 + r.int(7000))]));
    added.push(p);
  }
  return { modified, added };
}

/** Puts tracked files back to HEAD and removes the new files, so the next case starts from a clean tree. */
export function resetChanges(dir) {
  git(dir, ['checkout', '-q', '--', '.']);
  rmrf(join(dir, 'new'));
}
