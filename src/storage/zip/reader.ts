import { closeSync, createWriteStream, existsSync, fstatSync, lstatSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { pathBytes, pathText } from '../../shared/path-text.js';
import { dirname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { settings } from '../../shared/settings.js';
import { buildDir } from '../fs/replace-dir.js';
import { relativePathProblem } from '../../shared/relative-path.js';
import { ZipFormatError, entryReadStream, readCentralDirectory, readEntrySync, type CentralEntry } from './central-directory.js';

export interface ZipEntryInfo {
  /** Forward-slash path inside the archive (backslashes from DOS/Windows tools are normalised by the reader). */
  name: string;
  /** The name's bytes as stored (DOS/Windows backslashes read as slashes); `name` is their text form (fs/path-text.ts). */
  raw: Buffer;
  size: number;
  compressedSize: number;
  crc32: number;
  isDirectory: boolean;
  isSymlink: boolean;
  /** Unix permission bits when the archive recorded them, else 0. */
  mode: number;
  mtime: Date;
}


/** Entries up to this size are inflated in one synchronous call, larger ones streamed; SPECMAP_ZIP_IN_MEMORY_MAX overrides it. */
function inMemoryEntryMax(): number {
  return settings().zipInMemoryMax ?? 16 * 1024 * 1024;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function dosDateTime(date: number, time: number): Date {
  return new Date((date >> 9) + 1980, ((date >> 5) & 0xf) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2);
}

function info(e: CentralEntry): ZipEntryInfo {
  const unixMode = (e.externalAttributes >>> 16) & 0xffff;
  return {
    name: e.name,
    raw: e.raw,
    size: e.uncompressedSize,
    compressedSize: e.compressedSize,
    crc32: e.crc32,
    isDirectory: e.name.endsWith('/'),
    isSymlink: (unixMode & S_IFMT) === S_IFLNK,
    mode: unixMode & 0o7777,
    mtime: dosDateTime(e.dosDate, e.dosTime),
  };
}

function corrupt(zipPath: string, reason: string): SpecmapError {
  return new SpecmapError('CORRUPT_DATA', `corrupt or unsafe ZIP ${zipPath}: ${reason}`);
}

/** Format problems name the archive; anything else (a visitor's own error, a failing disk) passes through as it is. */
const asCorrupt = (zipPath: string, err: unknown) => (err instanceof ZipFormatError ? corrupt(zipPath, err.message) : err);

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Visits every entry in order. `visit` may return a promise; reading the data is opt-in through `read()` (whole,
 * CRC-checked) or `stream()`, so listing a large archive never inflates it.
 */
export async function forEachZipEntry(
  zipPath: string,
  visit: (entry: ZipEntryInfo, read: () => Promise<Buffer>, stream: () => Promise<Readable>) => Promise<void> | void,
): Promise<void> {
  if (!existsSync(zipPath)) throw new SpecmapError('BACKUP_NOT_FOUND', `no such backup: ${zipPath}`);
  let fd: number;
  try {
    fd = openSync(zipPath, 'r');
  } catch (err) {
    throw ioError('read', zipPath, err);
  }
  try {
    const size = fstatSync(fd).size;
    const entries = readCentralDirectory(fd, size);
    const max = inMemoryEntryMax();
    for (const e of entries) {
      const small = e.uncompressedSize <= max && e.compressedSize <= max;
      const stream = async () => {
        try {
          return small ? Readable.from([readEntrySync(fd, e, size)]) : entryReadStream(zipPath, fd, e, size);
        } catch (err) {
          throw asCorrupt(zipPath, err);
        }
      };
      const read = async () => {
        try {
          return small ? readEntrySync(fd, e, size) : await collect(entryReadStream(zipPath, fd, e, size));
        } catch (err) {
          throw asCorrupt(zipPath, err);
        }
      };
      await visit(info(e), read, stream);
    }
  } catch (err) {
    throw asCorrupt(zipPath, err);
  } finally {
    closeSync(fd);
  }
}

export async function listZip(zipPath: string): Promise<ZipEntryInfo[]> {
  const out: ZipEntryInfo[] = [];
  await forEachZipEntry(zipPath, (e) => { out.push(e); });
  return out;
}

export interface ExtractOptions {
  /**
   * Maps an archive name to the relative path to write, or null to skip the entry. Defaults to the name itself.
   */
  select?: (name: string) => string | null;
  /** Skip symlink entries and report each here, instead of refusing the archive (for our own backups). */
  onSymlink?: (name: string) => void;
  /**
   * Symlink entries for which this is true are extracted as links (target unchanged, never followed); a later
   * entry whose path goes through an extracted link is refused.
   */
  keepLink?: (name: string) => boolean;
}

function checkRelative(zipPath: string, rel: string): void {
  if (relativePathProblem(rel, { exactComponents: true, noBackslash: true })) {
    throw corrupt(zipPath, `entry ${JSON.stringify(rel)} would write outside the destination`);
  }
}

/**
 * Extracts into `dest`, which must not exist yet. Everything goes to a hidden sibling folder first and is renamed
 * into place at the end, so a corrupt or unsafe archive leaves nothing behind. Names are written as the bytes the
 * archive holds, entries are streamed (never whole in memory). Symlink entries are refused unless `keepLink`
 * allows them: a restored link could point a later write outside the project.
 */
export async function extractZip(zipPath: string, dest: string, options: ExtractOptions = {}): Promise<string[]> {
  const target = resolve(dest);
  if (existsSync(target)) throw new SpecmapError('CONFLICT', `refusing to extract over existing ${target}`);
  const written: string[] = [];
  const links = new Set<string>();
  mkdirSync(dirname(target), { recursive: true });
  return buildDir(target, async (staging) => {
    mkdirSync(staging);
    await forEachZipEntry(zipPath, async (e, read, stream) => {
      const selected = options.select ? options.select(e.name) : e.name;
      if (selected === null) return;
      const keep = e.isSymlink && (options.keepLink?.(e.name) ?? false);
      if (e.isSymlink && !keep) {
        if (!options.onSymlink) throw corrupt(zipPath, `entry ${e.name} is a symbolic link`);
        options.onSymlink(e.name);
        return;
      }
      const rel = pathBytes(selected);
      let end = rel.length;
      while (e.isDirectory && end > 0 && rel[end - 1] === 0x2f) end -= 1;
      const clean = Buffer.from(rel.subarray(0, end));
      if (clean.length === 0 && e.isDirectory) return;
      const latin = clean.toString('latin1');
      checkRelative(zipPath, latin);
      const parts = latin.split('/');
      for (let i = 1; i <= parts.length; i++) {
        if (links.has(parts.slice(0, i).join('/'))) throw corrupt(zipPath, `entry ${e.name} goes through the symbolic link ${parts.slice(0, i).join('/')}`);
      }
      const out = Buffer.concat([Buffer.from(`${staging}${sep}`), clean]);
      if (e.isDirectory) {
        mkdirSync(out, { recursive: true });
        return;
      }
      mkdirSync(out.subarray(0, out.lastIndexOf(0x2f)), { recursive: true });
      // The staging tree is ours alone and holds only the links recorded above, so a parent is a real directory.
      if (existsSync(out) && lstatSync(out).isDirectory()) throw corrupt(zipPath, `entry ${e.name} clashes with a folder`);
      if (keep) {
        symlinkSync(await read(), out);
        links.add(latin);
      } else {
        await pipeline(await stream(), createWriteStream(out, { flags: 'w', mode: e.mode & 0o111 ? 0o755 : 0o644 }));
      }
      written.push(pathText(clean));
    });
    return written;
  });
}
