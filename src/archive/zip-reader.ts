import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { Readable, Transform } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { SpecmapError, ioError, isSpecmapError } from '../core/errors.js';
import { tempPathFor } from '../fs/atomic-write.js';

export interface ZipEntryInfo {
  /** Forward-slash path inside the archive (backslashes from Windows tools are normalised by the reader). */
  name: string;
  size: number;
  compressedSize: number;
  crc32: number;
  isDirectory: boolean;
  isSymlink: boolean;
  /** Unix permission bits when the archive recorded them, else 0. */
  mode: number;
  mtime: Date;
}

/** Archives up to this size are read into memory whole (see openZip); SPECMAP_ZIP_IN_MEMORY_MAX overrides it. */
function inMemoryLimit(): number {
  const v = Number(process.env.SPECMAP_ZIP_IN_MEMORY_MAX);
  return process.env.SPECMAP_ZIP_IN_MEMORY_MAX !== undefined && Number.isFinite(v) && v >= 0 ? v : 64 * 1024 * 1024;
}

/** Entries up to this size are inflated in one synchronous call; larger ones stream. */
const IN_MEMORY_ENTRY_MAX = 16 * 1024 * 1024;

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function info(entry: Entry): ZipEntryInfo {
  const unixMode = (entry.externalFileAttributes >>> 16) & 0xffff;
  return {
    name: entry.fileName,
    size: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    crc32: entry.crc32,
    isDirectory: entry.fileName.endsWith('/'),
    isSymlink: (unixMode & S_IFMT) === S_IFLNK,
    mode: unixMode & 0o7777,
    mtime: entry.getLastModDate(),
  };
}

function corrupt(zipPath: string, reason: string): SpecmapError {
  return new SpecmapError('CORRUPT_DATA', `corrupt or unsafe ZIP ${zipPath}: ${reason}`);
}

interface OpenedZip {
  zip: ZipFile;
  /** The whole archive, when it was small enough to read at once. */
  data?: Buffer;
}

async function openZip(zipPath: string): Promise<OpenedZip> {
  // Imported on first use: commands that only might read a ZIP should not pay for loading yauzl.
  const { default: yauzl } = await import('yauzl');
  return new Promise((resolvePromise, reject) => {
    if (!existsSync(zipPath)) {
      reject(new SpecmapError('BACKUP_NOT_FOUND', `no such backup: ${zipPath}`));
      return;
    }
    // yauzl rejects absolute names and `..` segments itself (its validateFileName); we add symlink checks below.
    const done = (data?: Buffer) => (err: Error | null, zip?: ZipFile) => {
      if (err || !zip) reject(corrupt(zipPath, err?.message ?? 'cannot open'));
      else resolvePromise({ zip, data });
    };
    const options = { lazyEntries: true, autoClose: true, strictFileNames: false };
    // A small archive is read in one go and its entries inflated synchronously (inMemoryEntry): yauzl's per-entry
    // reads and async inflate streams wait on the thread pool for every entry, which made verifying a 2,000-entry
    // backup ten times slower than `unzip -t`. Large archives stream from disk as before.
    let size: number;
    try {
      size = statSync(zipPath).size;
    } catch (err) {
      reject(ioError('read', zipPath, err));
      return;
    }
    if (size <= inMemoryLimit()) {
      let data: Buffer;
      try {
        data = readFileSync(zipPath);
      } catch (err) {
        reject(ioError('read', zipPath, err));
        return;
      }
      yauzl.fromBuffer(data, options, done(data));
    } else {
      yauzl.open(zipPath, options, done());
    }
  });
}

function readEntryData(zipPath: string, zip: ZipFile, entry: Entry): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        reject(corrupt(zipPath, `${entry.fileName}: ${err?.message ?? 'unreadable'}`));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (e: Error) => reject(corrupt(zipPath, `${entry.fileName}: ${e.message}`)));
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        // yauzl checks sizes but not the CRC; a flipped byte in stored data would otherwise pass silently.
        if ((crc32(data) >>> 0) !== (entry.crc32 >>> 0)) {
          reject(corrupt(zipPath, `${entry.fileName}: CRC mismatch`));
        } else {
          resolvePromise(data);
        }
      });
    });
  });
}

/**
 * An entry's bytes from an archive held in memory: the local header gives where the data starts, the central
 * directory (already validated by yauzl) its sizes; the result is checked against both the size and the CRC.
 */
function inMemoryEntry(zipPath: string, data: Buffer, entry: Entry): Buffer {
  const bad = (why: string) => corrupt(zipPath, `${entry.fileName}: ${why}`);
  if (entry.isEncrypted()) throw bad('encrypted entries are not supported');
  const at = entry.relativeOffsetOfLocalHeader;
  if (at + 30 > data.length || data.readUInt32LE(at) !== 0x04034b50) throw bad('bad local file header');
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > data.length) throw bad('data runs past the end of the archive');
  const raw = data.subarray(start, end);
  let out: Buffer;
  if (entry.compressionMethod === 0) out = raw;
  else if (entry.compressionMethod === 8) {
    try {
      out = inflateRawSync(raw, { maxOutputLength: Math.max(entry.uncompressedSize, 1) });
    } catch (err) {
      throw bad((err as Error).message);
    }
  } else throw bad(`unsupported compression method ${entry.compressionMethod}`);
  if (out.length !== entry.uncompressedSize) throw bad(`expected ${entry.uncompressedSize} bytes, found ${out.length}`);
  if ((crc32(out) >>> 0) !== (entry.crc32 >>> 0)) throw bad('CRC mismatch');
  return out;
}

/** An entry's bytes as a stream (for entries too large to hold), failing with CORRUPT_DATA on a CRC mismatch. */
function entryStream(zipPath: string, zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolvePromise, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        reject(corrupt(zipPath, `${entry.fileName}: ${err?.message ?? 'unreadable'}`));
        return;
      }
      let crc = 0;
      const checked = new Transform({
        transform(chunk: Buffer, _enc, done) {
          crc = crc32(chunk, crc);
          done(null, chunk);
        },
        flush(done) {
          done((crc >>> 0) === (entry.crc32 >>> 0) ? null : corrupt(zipPath, `${entry.fileName}: CRC mismatch`));
        },
      });
      stream.on('error', (e: Error) => checked.destroy(corrupt(zipPath, `${entry.fileName}: ${e.message}`)));
      resolvePromise(stream.pipe(checked));
    });
  });
}

/**
 * Visits every entry in order. `visit` may return a promise; reading the data is opt-in through `read()`, so
 * listing a large archive never inflates it.
 */
export async function forEachZipEntry(
  zipPath: string,
  visit: (entry: ZipEntryInfo, read: () => Promise<Buffer>, stream: () => Promise<Readable>) => Promise<void> | void,
): Promise<void> {
  const { zip, data } = await openZip(zipPath);
  await new Promise<void>((resolvePromise, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      zip.close();
      reject(isSpecmapError(err) ? err : corrupt(zipPath, (err as Error)?.message ?? String(err)));
    };
    zip.on('error', fail);
    zip.on('end', () => { if (!failed) resolvePromise(); });
    zip.on('entry', (entry: Entry) => {
      // A small archive can still hold a huge entry (a sparse 1 GiB file compresses to 1 MB): those stream.
      const sync = data !== undefined && entry.uncompressedSize <= IN_MEMORY_ENTRY_MAX;
      const read = sync
        ? async () => inMemoryEntry(zipPath, data, entry)
        : () => readEntryData(zipPath, zip, entry);
      const stream = sync
        ? async () => Readable.from([inMemoryEntry(zipPath, data, entry)])
        : () => entryStream(zipPath, zip, entry);
      Promise.resolve(visit(info(entry), read, stream))
        .then(() => { if (!failed) zip.readEntry(); })
        .catch(fail);
    });
    zip.readEntry();
  });
}

export async function listZip(zipPath: string): Promise<ZipEntryInfo[]> {
  const out: ZipEntryInfo[] = [];
  await forEachZipEntry(zipPath, (e) => { out.push(e); });
  return out;
}

/** Reads one entry whole, CRC-checked. */
export async function readZipEntry(zipPath: string, name: string): Promise<Buffer> {
  let found: Buffer | undefined;
  await forEachZipEntry(zipPath, async (e, read) => {
    if (found === undefined && e.name === name) found = await read();
  });
  if (found === undefined) throw new SpecmapError('BACKUP_NOT_FOUND', `no entry ${name} in ${zipPath}`);
  return found;
}

/** Reads every file entry and checks its CRC; returns the number of files. Throws CORRUPT_DATA on any damage. */
export async function verifyZip(zipPath: string): Promise<number> {
  let files = 0;
  await forEachZipEntry(zipPath, async (e, read) => {
    if (e.isDirectory) return;
    await read();
    files += 1;
  });
  return files;
}

export interface ExtractOptions {
  /**
   * Maps an archive name to the relative path to write, or null to skip the entry. Defaults to the name itself.
   */
  select?: (name: string) => string | null;
  /** Skip symlink entries and report each here, instead of refusing the archive (for our own backups). */
  onSymlink?: (name: string) => void;
}

function checkRelative(zipPath: string, rel: string): void {
  const parts = rel.split('/');
  if (rel === '' || rel.startsWith('/') || /^[a-zA-Z]:/.test(rel) || rel.includes('\\') || rel.includes('\0')
    || parts.some((p) => p === '..' || p === '.')) {
    throw corrupt(zipPath, `entry ${JSON.stringify(rel)} would write outside the destination`);
  }
}

/**
 * Extracts into `dest`, which must not exist yet. Everything goes to a hidden sibling folder first and is renamed
 * into place at the end, so a corrupt or unsafe archive leaves nothing behind. Symlink entries are refused: a
 * restored link could point a later write outside the project.
 */
export async function extractZip(zipPath: string, dest: string, options: ExtractOptions = {}): Promise<string[]> {
  const target = resolve(dest);
  if (existsSync(target)) throw new SpecmapError('CONFLICT', `refusing to extract over existing ${target}`);
  const staging = tempPathFor(target);
  const written: string[] = [];
  try {
    mkdirSync(dirname(target), { recursive: true });
    mkdirSync(staging);
    await forEachZipEntry(zipPath, async (e, read) => {
      const rel = options.select ? options.select(e.name) : e.name;
      if (rel === null) return;
      if (e.isSymlink) {
        if (!options.onSymlink) throw corrupt(zipPath, `entry ${e.name} is a symbolic link`);
        options.onSymlink(e.name);
        return;
      }
      const clean = e.isDirectory ? rel.replace(/\/+$/, '') : rel;
      if (clean === '' && e.isDirectory) return;
      checkRelative(zipPath, clean);
      const out = join(staging, ...clean.split('/'));
      if (!out.startsWith(staging + sep)) throw corrupt(zipPath, `entry ${e.name} would write outside the destination`);
      if (e.isDirectory) {
        mkdirSync(out, { recursive: true });
        return;
      }
      const data = await read();
      mkdirSync(dirname(out), { recursive: true });
      // The staging tree is ours alone and holds no links, so a parent can only be a real directory here.
      if (existsSync(out) && lstatSync(out).isDirectory()) throw corrupt(zipPath, `entry ${e.name} clashes with a folder`);
      writeFileSync(out, data, { mode: e.mode & 0o111 ? 0o755 : 0o644 });
      written.push(clean);
    });
    renameSync(staging, target);
    return written;
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw isSpecmapError(err) ? err : ioError('extract ZIP into', target, err);
  }
}
