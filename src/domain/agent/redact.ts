/**
 * Secret redaction for stored agent transcripts. Known key formats first, then credential assignments, then long
 * high-entropy tokens. Every pattern lives here so one table-driven test covers them; projects add their own under
 * `redact: {patterns: [...]}` in 04-agents/config.yaml.
 */
export const REDACTED = '[REDACTED]';

export interface RedactionRule {
  name: string;
  pattern: RegExp;
  /** A documented key format, precise enough to refuse a push for (assignments and entropy are not). */
  strong?: boolean;
}

export const BUILT_IN_RULES: RedactionRule[] = [
  { name: 'AWS access key id', strong: true, pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  { name: 'GitHub token', strong: true, pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { name: 'GitLab token', strong: true, pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { name: 'Slack token', strong: true, pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g },
  { name: 'Google API key', strong: true, pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: 'Stripe key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}\b/g },
  { name: 'Stripe live secret key', strong: true, pattern: /\b(?:sk|rk)_live_[0-9A-Za-z]{16,}\b/g },
  { name: 'Anthropic or OpenAI key', strong: true, pattern: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}\b/g },
  { name: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g },
  { name: 'Slack webhook', strong: true, pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{20,}/g },
  { name: 'npm token', strong: true, pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  // The credential after an HTTP auth scheme, as in an Authorization header or a curl -H line.
  { name: 'HTTP authorization', pattern: /(?<=\b(?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/=-]{8,}/g },
  { name: 'URL credentials', pattern: /(?<=[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+(?=@)/gi },
  {
    // A value of 6+ characters with a digit or symbol in it (so `token: string` in code is left alone).
    name: 'credential assignment',
    pattern: /(?<=(?<![A-Za-z0-9])(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|auth)(?:[_-][A-Za-z0-9_]*)?["']?\s*[:=]\s*["']?)(?=[^\s"',;()<>{}[\]]*[^A-Za-z\s"',;()<>{}[\]])[^\s"',;()<>{}[\]]{6,}/gi,
  },
  {
    // A letters-only password is one too when it is assigned with `=` or given as a quoted value
    // (`PASSWORD=correcthorse`, `"password": "hunter"`), but not a type (`password: string`).
    name: 'password value',
    pattern: /(?<=(?<![A-Za-z0-9])(?:password|passwd|pwd|passphrase|secret)(?:[_-][A-Za-z0-9_]*)?(?:\s*=\s*["']?|["']?\s*:\s*["']))[^\s"',;()<>{}[\]]{4,}/gi,
  },
];

/**
 * Private key blocks (PEM, OpenSSH, PGP), END line or not: from the BEGIN line through the END line, or, without
 * one, through the base64 body that follows. Linear in the text: the END search never goes back over text it
 * already searched, so a run of BEGIN lines without END costs one pass (a lazy regex took quadratic time there).
 */
const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/g;
const KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/g;
// Base64 and line breaks (also as `\n` escapes): one class, so linear; it stops at the first space.
const KEY_BODY = /[A-Za-z0-9+/=\r\n\\-]*/y;

function redactPrivateKeys(text: string): string {
  if (!text.includes('PRIVATE KEY')) return text;
  let out = '';
  let at = 0;
  let end: { index: number; length: number } | null | undefined;
  KEY_BEGIN.lastIndex = 0;
  for (let m = KEY_BEGIN.exec(text); m; m = KEY_BEGIN.exec(text)) {
    if (m.index < at) continue;
    const bodyFrom = m.index + m[0].length;
    if (end !== null && (end === undefined || end.index < bodyFrom)) {
      KEY_END.lastIndex = bodyFrom;
      const e = KEY_END.exec(text);
      end = e ? { index: e.index, length: e[0].length } : null;
    }
    let stop: number;
    if (end) {
      stop = end.index + end.length;
    } else {
      KEY_BODY.lastIndex = bodyFrom;
      KEY_BODY.exec(text);
      stop = KEY_BODY.lastIndex;
    }
    out += text.slice(at, m.index) + REDACTED;
    at = stop;
    KEY_BEGIN.lastIndex = Math.max(stop, bodyFrom);
  }
  return out + text.slice(at);
}

/**
 * A key written with JSON or JavaScript unicode escapes (`\u0041KIA…`): runs of letters, digits and \u00XX escapes
 * are decoded, and a run that then holds a secret is redacted whole.
 */
function redactEscaped(text: string, rules: RedactionRule[]): string {
  if (!text.includes('\\u00')) return text;
  return text.replace(/(?:\\u00[0-9a-fA-F]{2}|[A-Za-z0-9_-]){16,}/g, (run) => {
    if (!run.includes('\\u00')) return run;
    const decoded = run.replace(/\\u00([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return rules.some((r) => new RegExp(r.pattern.source, r.pattern.flags.replace('g', '')).test(decoded)) ? REDACTED : run;
  });
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Long random-looking tokens: 32+ characters of base64/base64url alphabet with upper case, lower case and digits
 * all present, and high entropy. Hex strings such as commit ids (lower case only) and ordinary words do not qualify.
 */
function redactHighEntropy(text: string): string {
  return text.replace(/[A-Za-z0-9+/_=-]{32,}/g, (tok) => {
    const mixed = /[a-z]/.test(tok) && /[A-Z]/.test(tok) && /\d/.test(tok);
    return mixed && entropy(tok) >= 4.2 ? REDACTED : tok;
  });
}

export function compileRules(extra: string[] = []): RedactionRule[] {
  return [...BUILT_IN_RULES, ...extra.map((p, i) => ({ name: `config pattern ${i + 1}`, pattern: new RegExp(p, 'g') }))];
}

export function redact(text: string, rules: RedactionRule[] = BUILT_IN_RULES): string {
  let out = redactPrivateKeys(text);
  for (const r of rules) out = out.replace(r.pattern, REDACTED);
  return redactHighEntropy(redactEscaped(out, rules));
}

/**
 * Redacts a JSONL transcript line by line: each line is parsed and every string value redacted, then the line is
 * written again, so an escape such as `\\n` can neither hide a secret from a rule nor be cut in half by one, and
 * every stored line parses. A line that is not JSON is redacted as text.
 */
export function redactJsonl(text: string, rules: RedactionRule[] = BUILT_IN_RULES): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return redact(line, rules);
      }
      return JSON.stringify(redactValues(value, rules));
    })
    .join('\n');
}

function redactValues(value: unknown, rules: RedactionRule[]): unknown {
  if (typeof value === 'string') return redact(value, rules);
  if (Array.isArray(value)) return value.map((v) => redactValues(v, rules));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValues(v, rules)]));
  }
  return value;
}


/**
 * The kinds of secret `text` holds by the strong rules alone (documented key formats, private key blocks), for a
 * check that refuses rather than rewrites: `push` of session objects. Empty when it holds none.
 */
export function strongSecrets(text: string): string[] {
  const found = new Set<string>();
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/.test(text)) found.add('private key');
  for (const r of BUILT_IN_RULES) {
    if (!r.strong) continue;
    r.pattern.lastIndex = 0;
    if (r.pattern.test(text)) found.add(r.name);
    r.pattern.lastIndex = 0;
  }
  return [...found];
}
