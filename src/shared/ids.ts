import { SpecmapError } from './errors.js';

export const FOCUS_SLUG_MAX = 30;
const FOCUS_TEXT_MAX = 500;

/** The spec's session id: YYYY-MM-DD-session-NNN-focus. */
const SESSION_ID_RE = /^(\d{4}-\d{2}-\d{2})-session-(\d{3,})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** Any name we accept as a session folder or a reference to one: no separators, no dot-dot, no control bytes. */
const SAFE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SAFE_NAME_MAX = 200;

const pad3 = (n: number) => String(n).padStart(3, '0');

/** Lower case, [a-z0-9-], at most 30 characters; accents folded to their letters. Empty when nothing survives. */
export function sanitizeFocus(focus: string): string {
  const folded = focus.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const slug = folded.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length <= FOCUS_SLUG_MAX) return slug;
  // Cut at a word boundary when there is one, so ids don't end in a stray letter ("...-login-f").
  const cut = slug.slice(0, FOCUS_SLUG_MAX);
  const lastBreak = cut.lastIndexOf('-');
  const atBoundary = slug[FOCUS_SLUG_MAX] === '-';
  return (atBoundary || lastBreak < 0 ? cut : cut.slice(0, lastBreak)).replace(/-+$/, '');
}

/** Checks the human focus text and returns it trimmed together with its slug. */
export function checkFocus(focus: string): { text: string; slug: string } {
  const text = focus.trim();
  if (text.length === 0) throw new SpecmapError('INVALID_INPUT', 'focus is empty: say what the session is about');
  if (text.length > FOCUS_TEXT_MAX) {
    throw new SpecmapError('INVALID_INPUT', `focus is ${text.length} characters long; the limit is ${FOCUS_TEXT_MAX}`);
  }
  if (/[\u0000-\u001f\u007f]/.test(text)) {
    throw new SpecmapError('INVALID_INPUT', 'focus contains control characters (line breaks, NUL, ...)');
  }
  const slug = sanitizeFocus(text);
  if (slug.length === 0) {
    throw new SpecmapError(
      'INVALID_INPUT',
      `focus "${text}" has no letters or digits (a-z, 0-9) to name the session with; add a few`,
    );
  }
  return { text, slug };
}

export function formatSessionId(date: string, number: number, slug: string): string {
  return `${date}-session-${pad3(number)}-${slug}`;
}

export interface ParsedSessionId {
  date: string;
  number: number;
  slug: string;
}

/** Parses a spec-conforming session id; undefined for anything else (restored copies, foreign folders). */
export function parseSessionId(id: string): ParsedSessionId | undefined {
  const m = SESSION_ID_RE.exec(id);
  if (!m) return undefined;
  return { date: m[1]!, number: Number(m[2]), slug: m[3]! };
}

/** The session number a folder or ref name uses for `date`, if it is one of that day's sessions. */
export function sessionNumberOn(date: string, name: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})-session-(\d{3,})(?:-|$)/.exec(name);
  return m && m[1] === date ? Number(m[2]) : undefined;
}

/** True for names that are safe as one path segment and one ref component. */
export function isSafeName(name: string): boolean {
  return name.length <= SAFE_NAME_MAX && SAFE_NAME_RE.test(name) && !name.includes('..') && !name.endsWith('.lock');
}

/** Validates a user's session reference (full id, prefix, or `@`) before it touches the disk or git. */
export function checkSessionRef(ref: string): string {
  if (ref === '@') return ref;
  if (ref.length === 0) throw new SpecmapError('INVALID_INPUT', 'session id is empty');
  if (!isSafeName(ref)) {
    throw new SpecmapError('INVALID_INPUT', `invalid session id ${JSON.stringify(ref.slice(0, 80))}: use the id that 'specmap list' shows`);
  }
  return ref;
}

export function formatCheckpointId(number: number, time: string): string {
  return `checkpoint-${pad3(number)}-${time.replace(/:/g, '-')}`;
}

const AGENT_RE = /^[A-Za-z0-9][A-Za-z0-9 ._@+-]{0,63}$/;

export function checkAgent(agent: string): string {
  const a = agent.trim();
  if (!AGENT_RE.test(a)) {
    throw new SpecmapError('INVALID_INPUT', `invalid agent name ${JSON.stringify(agent.slice(0, 80))}: letters, digits, space, . _ - @ + (at most 64)`);
  }
  return a;
}

const META_KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export function checkMetadata(meta: Record<string, string>): Record<string, string> {
  for (const [k, v] of Object.entries(meta)) {
    if (!META_KEY_RE.test(k)) throw new SpecmapError('INVALID_INPUT', `invalid metadata key ${JSON.stringify(k.slice(0, 80))}`);
    if (v.includes('\0') || v.length > 2000) {
      throw new SpecmapError('INVALID_INPUT', `invalid metadata value for ${k}: NUL byte or longer than 2000 characters`);
    }
  }
  return meta;
}

/** The spec's RULEMAP score: a plain number from 0 to 10. */
export function parseScore(input: string | number): number {
  const text = String(input).trim();
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 10) {
    throw new SpecmapError('INVALID_INPUT', `RULEMAP score must be a number from 0 to 10, got ${JSON.stringify(text.slice(0, 40))}`);
  }
  return n;
}
