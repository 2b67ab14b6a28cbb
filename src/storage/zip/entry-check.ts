import { storedPathProblem } from '../../shared/relative-path.js';
import { SIG, U32_MAX, ZIP64_EXTRA } from './format.js';
import { ZipFormatError, readAt, u64, type CentralEntry } from './central-directory.js';

/**
 * The one check of a ZIP's entries, run before any entry is read, by every reader (verify, restore, listing): an
 * archive it refuses is refused everywhere, and an archive it passes means the same thing to every ZIP tool.
 *
 * - Names: the stored-path rules (shared/relative-path.ts): no `..`, no absolute names, no empty or `.` components,
 *   nothing inside a `.git` folder (any case): a restored `.git/config` with a planted
 *   `core.fsmonitor` would run on the next `git status`.
 * - No name twice (a reader that kept the last one would restore what no listing shows), no file that is also a
 *   folder (`a` and `a/b`, which also stops an entry from being written through a symbolic link entry).
 * - Each local header repeats its central directory entry: name bytes, flags, method, CRC and both sizes (from the
 *   ZIP64 extra field or the data descriptor where the format puts them there). A tool that reads local headers
 *   (streaming unzip) would otherwise see another archive than we verified.
 * - Types: a Unix mode is a regular file, a folder (named with a trailing `/`) or a symbolic link (at most 4 KiB
 *   of target); anything else (devices, sockets, FIFOs, a folder type on a file name) is refused.
 * - Sizes: entries do not overlap and end before the central directory; a stored entry's sizes agree; a deflated
 *   one does not claim more than deflate can produce (1,032 bytes per byte, the format's ceiling), so a declared
 *   size is never an absurd ratio a bomb relies on. The inflated bytes are capped at the declared size as they
 *   stream (central-directory.ts), so a size that lies is refused at the first byte past it.
 */

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** Deflate's ceiling: a 258-byte match in two bits. Anything above is a lie about the sizes. */
export const MAX_DEFLATE_RATIO = 1032;
/** Longest symbolic link target an entry may hold (PATH_MAX on Linux). */
const MAX_LINK = 4096;

/** What a checked entry is, as restore reads it. */
export type EntryKind = 'file' | 'executable' | 'symlink' | 'directory';

/** The Unix mode the entry records, or 0 when its host records none (DOS/Windows attributes are not modes). */
export function unixMode(e: CentralEntry): number {
  return e.host === 3 || e.host === 19 ? (e.externalAttributes >>> 16) & 0xffff : 0;
}

/** The kind restore gives an entry (the name's trailing `/` makes a folder; the mode's type and x bits the rest). */
export function entryKind(e: CentralEntry): EntryKind {
  if (e.name.endsWith('/')) return 'directory';
  const mode = unixMode(e);
  if ((mode & S_IFMT) === S_IFLNK) return 'symlink';
  return mode & 0o111 ? 'executable' : 'file';
}

const fail = (e: CentralEntry, why: string) => new ZipFormatError(`entry ${JSON.stringify(e.name)}: ${why}`);

/** The name without a folder's trailing `/`, as the key duplicates and clashes are found by. */
function nameKey(e: CentralEntry): string {
  const latin = e.raw.toString('latin1');
  return e.name.endsWith('/') ? latin.slice(0, -1) : latin;
}

function checkName(e: CentralEntry): void {
  const key = nameKey(e);
  const problem = storedPathProblem(key);
  if (problem) throw fail(e, `unsafe name (${problem})`);
}

function checkType(e: CentralEntry): void {
  const mode = unixMode(e);
  const type = mode & S_IFMT;
  const dir = e.name.endsWith('/');
  if (type === 0) return;
  if (type === S_IFDIR && !dir) throw fail(e, 'a folder mode on a file name');
  if (type === S_IFREG && dir) throw fail(e, 'a file mode on a folder name');
  if (type === S_IFLNK) {
    if (dir) throw fail(e, 'a symbolic link mode on a folder name');
    if (e.uncompressedSize > MAX_LINK) throw fail(e, `a symbolic link of ${e.uncompressedSize} bytes`);
  }
  if (type !== S_IFDIR && type !== S_IFREG && type !== S_IFLNK) throw fail(e, `unsupported file type ${(type >> 12).toString(8)} (mode ${mode.toString(8)})`);
}

function checkSizes(e: CentralEntry): void {
  if (e.flags & 0x1) throw fail(e, 'encrypted entries are not supported');
  if (e.method === 0) {
    if (e.compressedSize !== e.uncompressedSize) throw fail(e, `stored with ${e.compressedSize} bytes but ${e.uncompressedSize} declared`);
  } else if (e.method === 8) {
    if (e.uncompressedSize > e.compressedSize * MAX_DEFLATE_RATIO + 1024) {
      throw fail(e, `declares ${e.uncompressedSize} bytes from ${e.compressedSize} compressed, more than deflate can produce (a zip bomb or a damaged size)`);
    }
  } else {
    throw fail(e, `unsupported compression method ${e.method}`);
  }
  if (e.name.endsWith('/') && e.uncompressedSize !== 0) throw fail(e, 'a folder with data');
}

/** The ZIP64 sizes in a local header's extra field: uncompressed then compressed, both present (APPNOTE 4.5.3). */
function localZip64(extra: Buffer): { size: number; compressed: number } | undefined {
  let x = 0;
  while (x + 4 <= extra.length) {
    const id = extra.readUInt16LE(x);
    const len = extra.readUInt16LE(x + 2);
    if (id === ZIP64_EXTRA && len >= 16 && x + 4 + 16 <= extra.length) return { size: u64(extra, x + 4), compressed: u64(extra, x + 12) };
    x += 4 + len;
  }
  return undefined;
}

/** Compares the local header (and data descriptor) with the central entry; returns where the entry's bytes end. */
function checkLocal(fd: number, e: CentralEntry, fileSize: number): { dataStart: number; end: number } {
  if (e.localHeaderOffset + 30 > fileSize) throw fail(e, 'local header past the end of the file');
  // One read for the header, the name it should repeat and a typical extra field; a second only for a longer one.
  const guess = Math.min(30 + e.stored.length + 64, fileSize - e.localHeaderOffset);
  let h = readAt(fd, guess, e.localHeaderOffset);
  if (h.readUInt32LE(0) !== SIG.local) throw fail(e, 'invalid local file header signature');
  const nameLength = h.readUInt16LE(26);
  const extraLength = h.readUInt16LE(28);
  if (e.localHeaderOffset + 30 + nameLength + extraLength > fileSize) throw fail(e, 'local header past the end of the file');
  if (h.length < 30 + nameLength + extraLength) h = readAt(fd, 30 + nameLength + extraLength, e.localHeaderOffset);
  const rest = h.subarray(30, 30 + nameLength + extraLength);
  const name = rest.subarray(0, nameLength);
  if (!name.equals(e.stored)) throw fail(e, `the local header names it ${JSON.stringify(name.toString('latin1'))}`);
  const flags = h.readUInt16LE(6);
  if (flags !== e.flags) throw fail(e, `flags ${flags.toString(16)} in the local header, ${e.flags.toString(16)} in the central directory`);
  const method = h.readUInt16LE(8);
  if (method !== e.method) throw fail(e, `method ${method} in the local header, ${e.method} in the central directory`);
  const dataStart = e.localHeaderOffset + 30 + nameLength + extraLength;
  let end = dataStart + e.compressedSize;
  if (end > fileSize) throw fail(e, 'data runs past the end of the file');
  let crc = h.readUInt32LE(14);
  let compressed = h.readUInt32LE(18);
  let size = h.readUInt32LE(22);
  const z64 = localZip64(rest.subarray(nameLength));
  if (compressed === U32_MAX || size === U32_MAX) {
    if (!z64) throw fail(e, 'ZIP64 sizes missing from the local header');
    ({ size, compressed } = z64);
  }
  if (flags & 0x8) {
    // Sizes and CRC follow the data (streamed writers): each local field is zero (not known yet) or already right
    // (Info-ZIP writes the uncompressed size it knows), and the descriptor must agree.
    if (crc !== 0 && (crc >>> 0) !== (e.crc32 >>> 0)) throw fail(e, 'CRC in the local header differs from the central directory');
    if ((compressed !== 0 && compressed !== e.compressedSize) || (size !== 0 && size !== e.uncompressedSize)) {
      throw fail(e, `sizes ${compressed}/${size} in the local header, ${e.compressedSize}/${e.uncompressedSize} in the central directory`);
    }
    const wide = z64 !== undefined;
    const dd = readAt(fd, Math.min(wide ? 24 : 16, fileSize - end), end);
    let at = dd.length >= 4 && dd.readUInt32LE(0) === 0x08074b50 ? 4 : 0;
    if (dd.length < at + (wide ? 20 : 12)) throw fail(e, 'data descriptor past the end of the file');
    crc = dd.readUInt32LE(at);
    compressed = wide ? u64(dd, at + 4) : dd.readUInt32LE(at + 4);
    size = wide ? u64(dd, at + 12) : dd.readUInt32LE(at + 8);
    at += wide ? 20 : 12;
    end += at;
  }
  if ((crc >>> 0) !== (e.crc32 >>> 0)) throw fail(e, 'CRC in the local header differs from the central directory');
  if (compressed !== e.compressedSize || size !== e.uncompressedSize) {
    throw fail(e, `sizes ${compressed}/${size} in the local header, ${e.compressedSize}/${e.uncompressedSize} in the central directory`);
  }
  return { dataStart, end };
}

/**
 * Checks every entry (see the module comment) and returns each one's data offset, so reading never parses a
 * local header a second time. Throws a ZipFormatError naming the first entry that fails.
 */
export function checkEntries(fd: number, entries: CentralEntry[], cdOffset: number, fileSize: number): number[] {
  const kinds = new Map<string, boolean>();
  for (const e of entries) {
    checkName(e);
    checkType(e);
    checkSizes(e);
    const key = nameKey(e);
    if (kinds.has(key)) throw fail(e, 'appears twice in the archive');
    kinds.set(key, e.name.endsWith('/'));
  }
  for (const [key, isDir] of kinds) {
    for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) {
      if (kinds.get(key.slice(0, i)) === false) {
        throw new ZipFormatError(`entry ${JSON.stringify(key + (isDir ? '/' : ''))}: it lies inside ${JSON.stringify(key.slice(0, i))}, which is a file (or link) in the same archive`);
      }
    }
  }
  const starts = new Array<number>(entries.length);
  const spans: { from: number; to: number; e: CentralEntry }[] = [];
  entries.forEach((e, i) => {
    const { dataStart, end } = checkLocal(fd, e, fileSize);
    starts[i] = dataStart;
    spans.push({ from: e.localHeaderOffset, to: end, e });
  });
  spans.sort((a, b) => a.from - b.from);
  for (let i = 0; i < spans.length; i += 1) {
    const next = i + 1 < spans.length ? spans[i + 1]!.from : cdOffset;
    if (spans[i]!.to > next) throw fail(spans[i]!.e, 'its data overlaps the next entry or the central directory');
  }
  return starts;
}
