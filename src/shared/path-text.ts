/**
 * File names are bytes; session.yaml, JSON and messages are text. One lossless mapping between the two:
 * a name that is valid UTF-8 without control characters (and does not start with a double quote) is its own
 * text; any other name is written the way git quotes it (`core.quotePath`): in double quotes, with C escapes
 * and octal bytes, e.g. `"caf\351.txt"` or `"a\nb"`. So every path read from git survives a trip through
 * session.yaml, and a decode-and-re-encode can never turn one file's name into another's.
 */

const ESCAPES: Record<number, string> = { 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x22: '"', 0x5c: '\\' };
const UNESCAPES: Record<string, number> = Object.fromEntries(Object.entries(ESCAPES).map(([k, v]) => [v, Number(k)]));
const decoder = new TextDecoder('utf-8', { fatal: true });

function plainUtf8(buf: Buffer): string | undefined {
  if (buf.length > 0 && buf[0] === 0x22) return undefined;
  for (const b of buf) if (b < 0x20 || b === 0x7f) return undefined;
  try {
    return decoder.decode(buf);
  } catch {
    return undefined;
  }
}

/** The text form of a file name's bytes (see the module comment). */
export function pathText(buf: Buffer): string {
  const plain = plainUtf8(buf);
  if (plain !== undefined) return plain;
  let out = '"';
  for (const b of buf) {
    const e = ESCAPES[b];
    if (e !== undefined) out += `\\${e}`;
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}"`;
}

/** The bytes of a file name given in text form; the inverse of pathText (plain text is taken as UTF-8). */
export function pathBytes(text: string): Buffer {
  if (!isQuotedPath(text)) return Buffer.from(text, 'utf8');
  return unquotedBytes(text.slice(1, -1), 'utf8');
}

/**
 * The bytes of the inside of a C-quoted name (`a\tb\351`, git's quoting): escapes and octal bytes decoded, every
 * other character taken as `encoding` says — UTF-8 for specmap's text form, latin1 for git output read one byte
 * per character.
 */
export function unquotedBytes(body: string, encoding: 'utf8' | 'latin1'): Buffer {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out.push(...Buffer.from(c, encoding));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      out.push(parseInt(body.slice(i + 1, i + 4), 8) & 0xff);
      i += 3;
    } else {
      out.push(UNESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(out);
}

/** True when the text form stands for bytes that are not plain UTF-8 (it cannot go into an argv as it is). */
export function isQuotedPath(text: string): boolean {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"');
}

/** The folder `dir` joined with a name's bytes (a relative path), as a Buffer path for node:fs. */
export function rawJoin(dir: string | Buffer, raw: Buffer): Buffer {
  const base = Buffer.from(dir);
  return Buffer.concat(base[base.length - 1] === 0x2f ? [base, raw] : [base, Buffer.from('/'), raw]);
}

/** True when the name `raw` is `dir` or lies below it (both as bytes). */
export function rawWithin(raw: Buffer, dir: Buffer): boolean {
  if (raw.length === dir.length) return raw.equals(dir);
  return raw.length > dir.length && raw[dir.length] === 0x2f && raw.subarray(0, dir.length).equals(dir);
}

/**
 * True when `path` is `dir` or lies below it, both in text form. Plain text compares as it is (a UTF-8 prefix is a
 * byte prefix); a quoted name compares by its bytes, so `"a/caf\351"` is inside `a`.
 */
export function pathWithin(path: string, dir: string): boolean {
  if (!isQuotedPath(path) && !isQuotedPath(dir)) return path === dir || path.startsWith(`${dir}/`);
  return rawWithin(pathBytes(path), pathBytes(dir));
}

/**
 * A file name as one shell word that a POSIX shell turns back into exactly these bytes: bare when it is made of
 * safe characters, in single quotes when it is plain UTF-8, else bash/zsh ANSI-C quoting (`$'caf\351.txt'`).
 */
export function shellWord(buf: Buffer): string {
  const plain = plainUtf8(buf);
  if (plain !== undefined && /^[A-Za-z0-9_./@%+=:,-]+$/.test(plain) && !plain.startsWith('-')) return plain;
  if (plain !== undefined) return `'${plain.replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  for (const b of buf) {
    if (b === 0x27 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}'`;
}
