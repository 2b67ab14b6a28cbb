/**
 * A YAML writer for the plain data specmap stores (maps, lists, strings, numbers, booleans, null), in the style of
 * the spec's files: plain keys, double-quoted strings, block lists indented under their key.
 *
 * Why not `yaml`'s stringify: it builds a full document model first, which made writing session.yaml and the
 * checkpoint manifest a third of a 1,000-file checkpoint's own time. Reading still goes through `yaml`, so what is
 * written here only has to be valid YAML 1.2 for these shapes; tests check the round trip.
 */
export function emitYaml(value: unknown): string {
  const out: string[] = [];
  if (isMap(value)) emitMap(value, 0, out);
  else if (Array.isArray(value) && value.length > 0) emitList(value, 0, out);
  else if (Array.isArray(value)) out.push('[]');
  else out.push(scalar(value));
  return `${out.join('\n')}\n`;
}

type Map = Record<string, unknown>;

const isMap = (v: unknown): v is Map => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// YAML's printable set leaves out DEL, the C1 controls (but NEL), lone surrogates and U+FFFE/U+FFFF, which JSON
// would write raw: escape those as \uXXXX too.
const NOT_PRINTABLE = /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Printable ASCII but `"` and `\\`: quoted as it is (most of what specmap writes; the general path is slower). */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const NOT_ASCII = /[^\x00-\x7e]/;

function quote(s: string): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  // A JSON string is a valid YAML double-quoted scalar: the same escapes, and YAML knows them all.
  const json = JSON.stringify(s);
  return NOT_ASCII.test(json) ? json.replace(NOT_PRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** Keys repeat (every checkpoint has the same few): each is worked out once per process. */
const keys = new Map<string, string>();

function key(k: string): string {
  let out = keys.get(k);
  if (out === undefined) {
    out = PLAIN_KEY.test(k) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(k) ? k : quote(k);
    if (keys.size < 10_000) keys.set(k, out);
  }
  return out;
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  if (typeof v === 'bigint') return String(v);
  if (v instanceof Date) return quote(v.toISOString());
  throw new TypeError(`cannot write ${typeof v} as YAML`);
}

const entries = (m: Map) => Object.entries(m).filter(([, v]) => v !== undefined);

const nonEmptyMap = (v: unknown): v is Map => {
  if (!isMap(v)) return false;
  for (const k in v) if (Object.hasOwn(v, k) && v[k] !== undefined) return true;
  return false;
};

function emitMap(m: Map, indent: number, out: string[], firstPrefix?: string): void {
  const pad = ' '.repeat(indent);
  let first = true;
  for (const [k, v] of entries(m)) {
    const lead = first && firstPrefix !== undefined ? firstPrefix : pad;
    first = false;
    if (nonEmptyMap(v)) {
      out.push(`${lead}${key(k)}:`);
      emitMap(v, indent + 2, out);
    } else if (Array.isArray(v) && v.length > 0) {
      out.push(`${lead}${key(k)}:`);
      emitList(v, indent + 2, out);
    } else {
      out.push(`${lead}${key(k)}: ${inline(v)}`);
    }
  }
  if (first) out.push(`${firstPrefix ?? pad}{}`);
}

/**
 * One list item that is a map of strings and lists of strings (a checkpoint entry), in one pass with no calls per
 * value but the quoting: a session of 1,000 checkpoints writes 1,000 of them on every checkpoint, in a fresh
 * process whose code is not compiled yet. False (nothing written) for any other shape.
 */
function emitFlatItem(item: Map, pad: string, out: string[]): boolean {
  const inner = `${pad}  `;
  const lines: string[] = [];
  let lead = `${pad}- `;
  for (const k in item) {
    if (!Object.hasOwn(item, k)) continue;
    const v = item[k];
    if (v === undefined) continue;
    if (typeof v === 'string') lines.push(`${lead}${key(k)}: ${quote(v)}`);
    else if (Array.isArray(v)) {
      if (v.length === 0) lines.push(`${lead}${key(k)}: []`);
      else {
        lines.push(`${lead}${key(k)}:`);
        for (const x of v) {
          if (typeof x !== 'string') return false;
          lines.push(`${inner}  - ${quote(x)}`);
        }
      }
    } else return false;
    lead = inner;
  }
  if (lines.length === 0) return false;
  for (const l of lines) out.push(l);
  return true;
}

function emitList(list: unknown[], indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of list) {
    if (isMap(item) && emitFlatItem(item, pad, out)) continue;
    if (nonEmptyMap(item)) emitMap(item, indent + 2, out, `${pad}- `);
    else if (Array.isArray(item) && item.length > 0) {
      out.push(`${pad}-`);
      emitList(item, indent + 2, out);
    } else out.push(`${pad}- ${inline(item)}`);
  }
}

/** Empty collections and scalars, which fit on their key's line. */
function inline(v: unknown): string {
  if (Array.isArray(v)) return '[]';
  if (isMap(v)) return '{}';
  return scalar(v);
}
