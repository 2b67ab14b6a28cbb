import { describe, expect, it } from 'vitest';
import { REDACTED, compileRules, entropy, redact, redactJsonl } from '../../src/domain/agent/redact.js';

// Real-looking secrets (random, not live) that must not survive, each inside ordinary text.
const SECRETS: [string, string][] = [
  ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
  ['AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['GitHub classic token', 'ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R'],
  ['GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX'],
  ['GitLab token', 'glpat-xY7zQ2wE9rT4uI6oP1aS'],
  ['Slack bot token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
  ['Google API key', 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'],
  ['Stripe live key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ['Anthropic key', 'sk-ant-api03-Xy9_kL2mN4pQ6rS8tU0vW2xY4zA6bC8dE0fG2hI4jK6lM8nO0pQ2rS4tU6vW8'],
  ['OpenAI project key', 'sk-proj-AbC123dEf456GhI789jKl012MnO345pQr678StU901'],
  ['JSON web token', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
  ['private key block', '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq8Xf1nJ3LmZ9vQ0wYt\n-----END RSA PRIVATE KEY-----'],
  ['OpenSSH private key in JSON', '"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\\n-----END OPENSSH PRIVATE KEY-----"'],
  ['password assignment', 'DB_PASSWORD=hunter2hunter2'],
  ['token in JSON', '"api_key": "f3Kq9ZpLx2Wv8Rt6"'],
  ['URL credentials', 'postgres://admin:S3cr3tP4ss@db.example.com:5432/app'],
  ['high-entropy token', 'X-Custom: 9fK2LmQ8vZ3xW7pR1tY6uN4bH0cJ5dE2gA8sF6kL'],
  ['Slack webhook', 'https://hooks.slack.com/services/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'],
  ['npm token', 'npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'],
  ['Bearer credential', 'Authorization: Bearer abcDEF123ghiJKL456mnoPQR789'],
  ['Bearer opaque token', 'curl -H "Authorization: Bearer t0k3n_ab"'],
  ['letters-only password assigned', 'DB_PASSWORD=correcthorsebattery'],
  ['letters-only password in JSON', '"password": "hunterhunter"'],
  ['PGP private key', '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF8xyzABCDEF0123\n-----END PGP PRIVATE KEY BLOCK-----'],
  ['private key without END', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
  ['unicode-escaped AWS key', 'key = "\\u0041KIAIOSFODNN7EXAMPLE"'],
];

// Ordinary text that must come through unchanged.
const ORDINARY = [
  'Refactor the authentication module and add tests for login()',
  'commit 1e19c98a538d2f0b6c7d9e8f1a2b3c4d5e6f7a8b is the parent',
  'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  'See /home/user/projects/specmap/src/core/checkpoint-files.ts line 42',
  'The password field must be at least 12 characters long.',
  'function login(password: string, token: Token): boolean',
  'export const DEFAULT_KEEP_DAILY = 14;',
  'https://github.com/owner/repo/pull/1234',
  '2025-10-25-session-001-authentication:checkpoint-002-16-30-00',
  'Use an API key from your dashboard; never commit it.',
  'internationalization-and-localization-framework-configuration',
  'C:\\Users\\dev\\AppData\\Local\\Temp\\build-output-artifacts',
  'token: string; // the type, not a value',
];

describe('transcript redaction', () => {
  it.each(SECRETS)('removes a %s', (_name, secret) => {
    const text = `before ${secret} after`;
    const out = redact(text);
    expect(out).toContain(REDACTED);
    // No 8-character run of the secret's value survives.
    const value = secret.replace(/^[^=:]*[=:]\s*"?/, '');
    for (let i = 0; i + 8 <= value.length; i += 4) {
      const piece = value.slice(i, i + 8);
      if (/^[A-Za-z0-9]{8}$/.test(piece) && !/^(BEGIN|PRIVATE|OPENSSH)/.test(piece)) expect(out).not.toContain(piece);
    }
    expect(out.startsWith('before ')).toBe(true);
    expect(out.endsWith(' after')).toBe(true);
  });

  it.each(ORDINARY)('keeps %j', (text) => {
    expect(redact(text)).toBe(text);
  });

  it('keeps JSON lines valid after redaction', () => {
    const line = JSON.stringify({ type: 'user', message: { role: 'user', content: 'my key is ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R ok' } });
    expect(JSON.parse(redact(line)).message.content).toBe(`my key is ${REDACTED} ok`);
  });

  it('applies project patterns from the config', () => {
    const rules = compileRules(['ACME-[0-9]{6}']);
    expect(redact('ticket ACME-123456 closed', rules)).toBe(`ticket ${REDACTED} closed`);
  });

  it('measures entropy', () => {
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abcd')).toBe(2);
  });

  describe('a JSONL transcript (each line parsed, string values redacted, written again)', () => {
    const lines = (...values: unknown[]) => values.map((v) => JSON.stringify(v)).join('\n');

    it('finds a secret right after an escaped newline, and every line still parses', () => {
      // In the raw text these follow `\n`: a `\b` rule sees no boundary, a lookbehind sees the letter n.
      const text = lines(
        { type: 'user', message: { role: 'user', content: 'deploy with\nDB_PASSWORD=hunter2hunter2' } },
        { type: 'assistant', message: { content: [{ type: 'text', text: 'first\nsk-ant-api03-Xy9_kL2mN4pQ6rS8tU0vW2xY4zA6bC8dE0fG2hI4jK6lM8nO0pQ2rS4tU6vW8' }] } },
        { type: 'user', toolUseResult: { stdout: 'ok\nAKIAIOSFODNN7EXAMPLE\n' } },
      );
      const out = redactJsonl(text);
      expect(out).not.toMatch(/hunter2hunter2|sk-ant-api03|AKIAIOSFODNN7EXAMPLE/);
      const parsed = out.split('\n').map((l) => JSON.parse(l));
      expect(parsed[0].message.content).toBe(`deploy with\nDB_PASSWORD=${REDACTED}`);
      expect(parsed[1].message.content[0].text).toBe(`first\n${REDACTED}`);
      expect(parsed[2].toolUseResult.stdout).toBe(`ok\n${REDACTED}\n`);
    });

    it('leaves ordinary lines as they were, keys and numbers included', () => {
      const text = lines({ type: 'user', n: 3, ok: true, none: null, message: { content: ORDINARY.join('\n') } }, { a: ['x', 1] });
      expect(redactJsonl(text)).toBe(text);
    });

    it('redacts a line that is not JSON as text, and keeps empty lines', () => {
      expect(redactJsonl('not json: ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R\n\n')).toBe(`not json: ${REDACTED}\n\n`);
    });
  });

  it('stays linear on hostile input: a 4 MB base64 line, a run of BEGIN lines without END, escape runs', () => {
    const b64 = Buffer.alloc(3 * 1024 * 1024, 0xa5).toString('base64');
    const line = JSON.stringify({ type: 'user', message: { role: 'user', content: [{ type: 'image', source: { data: b64 } }] } });
    expect(() => JSON.parse(redactJsonl(line))).not.toThrow();
    const begins = '-----BEGIN RSA PRIVATE KEY-----'.repeat(100_000);
    expect(redact(begins).length < begins.length).toBe(true);
    expect(redact('\\u0041'.repeat(500_000))).toHaveLength(3_000_000);
  });
});
