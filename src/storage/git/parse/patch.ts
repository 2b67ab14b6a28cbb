import { pathText, unquotedBytes } from '../../../shared/path-text.js';

/** The lines one file gained in a patch, by their numbers in the new version. */
export interface AddedLines {
  /** The file after the change, in text form (shared/path-text.ts). */
  path: string;
  /** Where it was renamed or copied from, when it was. */
  from?: string;
  /** [first line (1-based), count] of each hunk's added lines, in order. */
  ranges: [number, number][];
}

/** The bytes of a field git wrote either plain or C-quoted (`"a\tb\351"`); `field` holds one byte per character. */
export function unquoteField(field: string): Buffer {
  if (!field.startsWith('"') || !field.endsWith('"') || field.length < 2) return Buffer.from(field, 'latin1');
  return unquotedBytes(field.slice(1, -1), 'latin1');
}

/** A `---`/`+++` name: `a/x`, `"a/x\tquoted"` (C quoting) or /dev/null; git adds a tab after a name with a space. */
function headerPath(field: string, prefix: string): string | undefined {
  if (field === '/dev/null') return undefined;
  let bytes = field.startsWith('"') ? unquoteField(field) : Buffer.from(field.endsWith('\t') ? field.slice(0, -1) : field, 'latin1');
  const p = Buffer.from(prefix);
  if (bytes.subarray(0, p.length).equals(p)) bytes = bytes.subarray(p.length);
  return pathText(bytes);
}

/** The path of a `rename from` / `rename to` line: plain or C-quoted, without a/ b/ prefixes. */
function renamePath(field: string): string {
  return pathText(unquoteField(field));
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Parses `git diff-tree -p -U0 --src-prefix=a/ --dst-prefix=b/` output (with core.quotePath=false) into the lines
 * each file gained. Hunk bodies are skipped by the counts in their headers, so an added line that looks like a
 * header (`+++ x`) is never read as one. Binary files, symlinks and submodules gain no lines.
 */
export function parseAddedLines(buf: Buffer): AddedLines[] {
  const lines = buf.toString('latin1').split('\n');
  const out: AddedLines[] = [];
  let current: (AddedLines & { skip: boolean }) | undefined;
  let from: string | undefined;
  const flush = () => {
    if (current && !current.skip && current.ranges.length > 0) {
      const { skip: _, ...file } = current;
      out.push(file);
    }
    current = undefined;
  };
  let skipMode = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('diff --git ')) {
      flush();
      from = undefined;
      skipMode = false;
      continue;
    }
    if (/^(new file mode|new mode|deleted file mode) (120000|160000)$/.test(line) || /^index \S+ (120000|160000)$/.test(line)) {
      skipMode = true;
      continue;
    }
    if (line.startsWith('rename from ') || line.startsWith('copy from ')) {
      from = renamePath(line.slice(line.indexOf(' from ') + 6));
      continue;
    }
    if (line.startsWith('+++ ')) {
      const path = headerPath(line.slice(4), 'b/');
      current = path === undefined ? undefined : { path, ...(from !== undefined ? { from } : {}), ranges: [], skip: skipMode };
      continue;
    }
    const m = HUNK.exec(line);
    if (m) {
      const removed = m[1] === undefined ? 1 : Number(m[1]);
      const start = Number(m[2]);
      const added = m[3] === undefined ? 1 : Number(m[3]);
      if (current && added > 0) current.ranges.push([start, added]);
      // The body: `removed` lines with -, `added` with +, and "\ No newline at end of file" markers.
      let left = removed + added;
      while (left > 0 && i + 1 < lines.length) {
        i++;
        if (!lines[i]!.startsWith('\\')) left--;
      }
      while (i + 1 < lines.length && lines[i + 1]!.startsWith('\\')) i++;
    }
  }
  flush();
  return out;
}
