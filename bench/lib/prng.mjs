// Seeded PRNG (mulberry32) so every generated repository and change set is byte-for-byte reproducible.
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    /** Incompressible bytes, filled 32 bits at a time. */
    bytes(n) {
      const words = new Uint32Array(Math.ceil(n / 4));
      for (let i = 0; i < words.length; i += 1) words[i] = (next() * 4294967296) >>> 0;
      return Buffer.from(words.buffer, 0, n);
    },
  };
}

/** A stable 32-bit seed from any string (FNV-1a). */
export function seedOf(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
