import { describe, expect, it } from 'vitest';
import { parseSessionYaml, renderSessionYaml } from '../../src/domain/session/session-file.js';
import { SpecmapError } from '../../src/shared/errors.js';

/** The spec's own example, verbatim. */
const SPEC_EXAMPLE = `session:
  id: "2025-10-25-session-001-authentication"
  date: "2025-10-25"
  start_time: "14:30:00"
  end_time: "18:45:00"
  focus: "Authentication feature"
  agent: "claude"
  status: "completed"

artifacts:
  created:
    - "src/auth.py"
    - "src/auth_utils.py"
    - "tests/test_auth.py"
  modified:
    - "src/main.py"
    - "docs/API.md"

checkpoints:
  - id: "checkpoint-001-15-00-00"
    time: "15:00:00"
    description: "Auth logic implemented"
    files_snapshot:
      - "src/auth.py"
      - "tests/test_auth.py"
  - id: "checkpoint-002-16-30-00"
    time: "16:30:00"
    description: "Tests passing"
    files_snapshot:
      - "tests/test_auth.py"

metrics:
  duration_minutes: 255
  files_created: 3
  files_modified: 2
  checkpoints: 2

rulemap_score: 8.5
`;

describe('session.yaml', () => {
  it("parses the spec's example with every field", () => {
    const doc = parseSessionYaml(SPEC_EXAMPLE, 'session.yaml');
    expect(doc.session).toEqual({
      id: '2025-10-25-session-001-authentication', date: '2025-10-25', start_time: '14:30:00', end_time: '18:45:00',
      focus: 'Authentication feature', agent: 'claude', status: 'completed',
    });
    expect(doc.artifacts.created).toEqual(['src/auth.py', 'src/auth_utils.py', 'tests/test_auth.py']);
    expect(doc.artifacts.modified).toEqual(['src/main.py', 'docs/API.md']);
    expect(doc.checkpoints.map((c) => c.id)).toEqual(['checkpoint-001-15-00-00', 'checkpoint-002-16-30-00']);
    expect(doc.checkpoints[0]!.files_snapshot).toEqual(['src/auth.py', 'tests/test_auth.py']);
    expect(doc.metrics).toEqual({ duration_minutes: 255, files_created: 3, files_modified: 2, checkpoints: 2 });
    expect(doc.rulemap_score).toBe(8.5);
  });

  it('round-trips: render then parse gives the same document, unknown keys kept', () => {
    const doc = parseSessionYaml(SPEC_EXAMPLE.replace('rulemap_score: 8.5', 'rulemap_score: 8.5\ncustom:\n  team: "core"'), 'x');
    const text = renderSessionYaml(doc);
    expect(parseSessionYaml(text, 'x')).toEqual(doc);
    expect(text).toContain('custom:\n  team: "core"');
    expect(text).toContain('  id: "2025-10-25-session-001-authentication"');
    expect(text).toContain('    - "src/auth.py"');
  });

  it('reads Python-written files with unquoted dates and times as strings', () => {
    const doc = parseSessionYaml(
      'session:\n  id: 2025-10-25-session-001-x\n  date: 2025-10-25\n  start_time: 14:30:00\n  end_time: 18:45:00\n  focus: X\n  agent: claude\n  status: completed\n',
      'x',
    );
    expect(doc.session.date).toBe('2025-10-25');
    expect(doc.session.start_time).toBe('14:30:00');
    expect(doc.checkpoints).toEqual([]);
    expect(doc.artifacts).toEqual({ created: [], modified: [] });
    expect(doc.rulemap_score).toBeNull();
  });

  it.each([
    ['session:\n  id: [\n  x: :\n', /^s\.yaml:3: invalid YAML/],
    ['', /^s\.yaml: not a session file/],
    ['- a\n- b\n', /^s\.yaml: not a session file/],
    ['other: 1\n', /^s\.yaml: missing "session:" section/],
    ['session:\n  date: "2025-10-25"\n', /^s\.yaml: session\.id is missing/],
    [SPEC_EXAMPLE.replace('checkpoints:\n  - id', 'checkpoints: 3\nx:\n  - id'), /^s\.yaml: "checkpoints:" must be a list/],
    [SPEC_EXAMPLE.replace('rulemap_score: 8.5', 'rulemap_score: "high"'), /^s\.yaml: rulemap_score must be a number/],
  ])('names the file (and line) for broken input %#', (text, message) => {
    let caught: unknown;
    try {
      parseSessionYaml(text, 's.yaml');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SpecmapError);
    expect((caught as SpecmapError).code).toBe('CORRUPT_DATA');
    expect((caught as SpecmapError).message).toMatch(message);
    expect((caught as SpecmapError).message).not.toContain('\n');
  });
});

describe('the parsed copy of session.yaml', () => {
  it('serves a second read, misses after an edit, and never stands in for values JSON would change', async () => {
    const { writeFileSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { readSessionFile } = await import('../../src/domain/session/session-file.js');
    const { scratch } = await import('../support/repo.js');
    const dir = scratch();
    const file = join(dir, 'session.yaml');
    const cache = join(dir, 'parsed', 'session.json');
    writeFileSync(file, SPEC_EXAMPLE);
    const first = readSessionFile(file, 'session.yaml', cache);
    expect(existsSync(cache)).toBe(true);
    expect(readSessionFile(file, 'session.yaml', cache)).toEqual(first);
    // The second read came from the copy: a value changed only there is what it reads.
    const { readFileSync } = await import('node:fs');
    writeFileSync(cache, readFileSync(cache, 'utf8').replace(/"focus":"[^"]*"/, '"focus":"From the copy"'));
    expect(readSessionFile(file, 'session.yaml', cache).session.focus).toBe('From the copy');
    // An edit of the same length (one letter) is a different text: parsed again.
    writeFileSync(file, SPEC_EXAMPLE.replace('Authentication feature', 'Authentication featurf'));
    expect(readSessionFile(file, 'session.yaml', cache).session.focus).toBe('Authentication featurf');
    writeFileSync(file, SPEC_EXAMPLE.replace('Authentication feature', 'Edited by hand'));
    expect(readSessionFile(file, 'session.yaml', cache).session.focus).toBe('Edited by hand');

    // .nan has no JSON form: a cached copy would read back as null, so such a file is always parsed.
    writeFileSync(file, `${SPEC_EXAMPLE}extra: .nan\n`);
    expect(readSessionFile(file, 'session.yaml', cache).extra).toBeNaN();
    expect(readSessionFile(file, 'session.yaml', cache).extra).toBeNaN();
  });
});
