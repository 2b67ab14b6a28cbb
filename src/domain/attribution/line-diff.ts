/**
 * Which lines of `after` are lines of `before` carried over: for each line of `after`, the index of the line of
 * `before` it is (the two aligned by a longest common subsequence, Myers' O(ND) algorithm after the common head and
 * tail are set aside), or -1 for a line `after` added. Lines compare as whole strings.
 *
 * Past `maxEdits` differences (a file rewritten wholesale) the exact alignment would cost too much memory; the lines
 * are then paired greedily, each with the next unused equal line of `before`, which is what a reader would guess.
 */
export function carriedLines(before: readonly string[], after: readonly string[], maxEdits = 2000): Int32Array {
  const out = new Int32Array(after.length).fill(-1);
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) {
    out[head] = head;
    head++;
  }
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) {
    out[after.length - 1 - tail] = before.length - 1 - tail;
    tail++;
  }
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  if (a.length === 0 || b.length === 0) return out;
  // Lines as small integers: comparisons in the loop below are then number compares.
  const ids = new Map<string, number>();
  const idOf = (s: string) => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = ids.size));
    return id;
  };
  const ai = Int32Array.from(a, idOf);
  const bi = Int32Array.from(b, idOf);
  const pairs = myers(ai, bi, maxEdits) ?? greedy(ai, bi);
  for (const [x, y] of pairs) out[head + y] = head + x;
  return out;
}

/** The matched (index in a, index in b) pairs of a shortest edit script, or undefined past `maxEdits`. */
function myers(a: Int32Array, b: Int32Array, maxEdits: number): [number, number][] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    const next = v;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    v = next;
    if (found >= 0) break;
  }
  if (found < 0) return undefined;
  // Walk back from (n, m) through the saved frontiers, collecting the diagonal (matching) moves.
  const pairs: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const saved = trace[d]!;
    const at = (k: number) => saved[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const startX = prevK === k + 1 ? prevX : prevX + 1;
    const startY = startX - k;
    while (x > startX && y > startY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    pairs.push([x, y]);
  }
  return pairs;
}

/** Each line of b paired with the next unused equal line of a, keeping order. */
function greedy(a: Int32Array, b: Int32Array): [number, number][] {
  const positions = new Map<number, number[]>();
  for (let i = a.length - 1; i >= 0; i--) {
    const list = positions.get(a[i]!);
    if (list) list.push(i);
    else positions.set(a[i]!, [i]);
  }
  const pairs: [number, number][] = [];
  let last = -1;
  for (let j = 0; j < b.length; j++) {
    const list = positions.get(b[j]!);
    while (list && list.length > 0 && list[list.length - 1]! <= last) list.pop();
    if (list && list.length > 0) {
      last = list.pop()!;
      pairs.push([last, j]);
    }
  }
  return pairs;
}

/** A blob's text as lines the way git counts them: split on LF, a last line without one still a line. */
export function blobLines(data: Buffer | undefined): string[] {
  if (!data || data.length === 0) return [];
  // latin1 maps every byte to one character, so lines compare byte for byte whatever the encoding.
  const lines = data.toString('latin1').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
