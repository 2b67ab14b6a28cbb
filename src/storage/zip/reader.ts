import { closeSync, createWriteStream, existsSync, fstatSync, lstatSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { pathBytes, pathText } from '../../shared/path-text.js';
import { dirname, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { settings } from '../../shared/settings.js';
import { storedPathProblem } from '../../shared/relative-path.js';
import { buildDir } from '../fs/replace-dir.js';
import { nodeCrypto, sha256Hex } from '../../shared/node-crypto.js';
import { ZipFormatError, entryReadStream, readEntrySync, readZipDirectory, type CentralEntry } from './central-directory.js';
import { checkEntries, entryKind, unixMode, type EntryKind } from './entry-check.js';

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
  /** What restore makes of it (entry-check.ts): a file, an executable file, a symbolic link or a folder. */
  kind: EntryKind;
  /** Unix permission bits when the archive recorded them, else 0. */
  mode: number;
  mtime: Date;
}


/** Entries up to this size are inflated in one synchronous call, larger ones streamed; SPECMAP_ZIP_IN_MEMORY_MAX overrides it. */
function inMemoryEntryMax(): number {
  return settings().zipInMemoryMax ?? 16 * 1024 * 1024;
}

function dosDateTime(date: number, time: number): Date {
  return new Date((date >> 9) + 1980, ((date >> 5) & 0xf) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2);
}

function info(e: CentralEntry): ZipEntryInfo {
  const kind = entryKind(e);
  return {
    name: e.name,
    raw: e.raw,
    size: e.uncompressedSize,
    compressedSize: e.compressedSize,
    crc32: e.crc32,
    isDirectory: e.name.endsWith('/'),
    isSymlink: kind === 'symlink',
    kind,
    mode: unixMode(e) & 0o7777,
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
 * Visits every entry in order, once the whole archive has passed the entry check (entry-check.ts: names, local
 * headers against the central directory, duplicates, clashes, types, sizes), so a refused archive is refused before
 * `visit` sees any of it. `visit` may return a promise; reading the data is opt-in through `read()` (whole,
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
    const { entries, cdOffset } = readZipDirectory(fd, size);
    const starts = checkEntries(fd, entries, cdOffset, size);
    const max = inMemoryEntryMax();
    for (const [i, e] of entries.entries()) {
      const start = starts[i]!;
      const small = e.uncompressedSize <= max && e.compressedSize <= max;
      const stream = async () => {
        try {
          return small ? Readable.from([readEntrySync(fd, e, start)]) : entryReadStream(zipPath, e, start);
        } catch (err) {
          throw asCorrupt(zipPath, err);
        }
      };
      const read = async () => {
        try {
          return small ? readEntrySync(fd, e, start) : await collect(entryReadStream(zipPath, e, start));
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

/** How symbolic link entries are treated: kept as links, skipped with a note, or refusing the archive. */
export interface LinkPolicy {
  /** Skip symlink entries and report each here, instead of refusing the archive (for our own backups). */
  onSymlink?: (name: string) => void;
  /** Symlink entries for which this is true are extracted as links (target unchanged, never followed). */
  keepLink?: (name: string) => boolean;
}

/** What `policy` does with a symbolic link entry; the one rule extract and verify both apply. */
export function linkVerdict(name: string, policy: LinkPolicy): 'keep' | 'skip' | 'refuse' {
  if (policy.keepLink?.(name)) return 'keep';
  return policy.onSymlink ? 'skip' : 'refuse';
}

/** A file extract wrote, with the SHA-256 of the bytes it wrote (a link's target for a link). */
export interface ExtractedFile {
  path: string;
  size: number;
  sha256: string;
  kind: EntryKind;
}

export interface ExtractOptions extends LinkPolicy {
  /**
   * Maps an archive name to the relative path to write, or null to skip the entry. Defaults to the name itself.
   */
  select?: (name: string) => string | null;
  /** Told each file as it is written, with its SHA-256 (restore compares them with the manifest). */
  onFile?: (f: ExtractedFile) => void;
}

function checkRelative(zipPath: string, rel: string): void {
  if (storedPathProblem(rel)) {
    throw corrupt(zipPath, `entry ${JSON.stringify(rel)} would write outside the destination`);
  }
}

function hashing(onDone: (size: number, sha256: string) => void): Transform {
  const sha = nodeCrypto().createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      sha.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      onDone(size, sha.digest('hex'));
      done();
    },
  });
}

/**
 * Extracts into `dest`, which must not exist yet. Everything goes to a hidden sibling folder first and is renamed
 * into place at the end, so a corrupt or unsafe archive leaves nothing behind. Names are written as the bytes the
 * archive holds, entries are streamed (never whole in memory, inflating no more than each entry declares). Symlink
 * entries are refused unless the policy keeps or skips them (linkVerdict): a restored link could point a later
 * write outside the project, and the entry check already refuses any entry inside a link's path.
 */
export async function extractZip(zipPath: string, dest: string, options: ExtractOptions = {}): Promise<string[]> {
  const target = resolve(dest);
  if (existsSync(target)) throw new SpecmapError('CONFLICT', `refusing to extract over existing ${target}`);
  const written: string[] = [];
  mkdirSync(dirname(target), { recursive: true });
  return buildDir(target, async (staging) => {
    mkdirSync(staging);
    await forEachZipEntry(zipPath, async (e, read, stream) => {
      const selected = options.select ? options.select(e.name) : e.name;
      if (selected === null) return;
      const verdict = e.isSymlink ? linkVerdict(e.name, options) : 'keep';
      if (verdict === 'refuse') throw corrupt(zipPath, `entry ${e.name} is a symbolic link`);
      if (verdict === 'skip') {
        options.onSymlink!(e.name);
        return;
      }
      const rel = pathBytes(selected);
      let end = rel.length;
      while (e.isDirectory && end > 0 && rel[end - 1] === 0x2f) end -= 1;
      const clean = Buffer.from(rel.subarray(0, end));
      if (clean.length === 0 && e.isDirectory) return;
      const latin = clean.toString('latin1');
      checkRelative(zipPath, latin);
      const out = Buffer.concat([Buffer.from(`${staging}${sep}`), clean]);
      if (e.isDirectory) {
        mkdirSync(out, { recursive: true });
        return;
      }
      mkdirSync(out.subarray(0, out.lastIndexOf(0x2f)), { recursive: true });
      // The staging tree is ours alone and holds only the links kept above, none of which a later entry lies in.
      if (existsSync(out) && lstatSync(out).isDirectory()) throw corrupt(zipPath, `entry ${e.name} clashes with a folder`);
      const path = pathText(clean);
      if (e.isSymlink) {
        const target = await read();
        symlinkSync(target, out);
        options.onFile?.({ path, size: target.length, sha256: sha256Hex(target), kind: e.kind });
      } else {
        const hash = hashing((size, sha256) => options.onFile?.({ path, size, sha256, kind: e.kind }));
        await pipeline(await stream(), hash, createWriteStream(out, { flags: 'wx', mode: e.kind === 'executable' ? 0o755 : 0o644 }));
      }
      written.push(path);
    });
    return written;
  });
}
