/**
 * Polls `check` every `everyMs` until it returns something other than undefined/false, or `timeoutMs` has passed
 * (45 s by default, then its last answer: shorter than a test's 60 s, so the check after it says what was
 * missing). The deadline is generous on purpose: a test that waits for a background process
 * or a terminal must not fail because the machine is busy; it returns as soon as the answer is there.
 */
export async function eventually<T>(check: () => T | undefined | false, opts: { timeoutMs?: number; everyMs?: number } = {}): Promise<T | undefined | false> {
  const deadline = Date.now() + (opts.timeoutMs ?? 45_000);
  for (;;) {
    const got = check();
    if (got !== undefined && got !== false) return got;
    if (Date.now() >= deadline) return got;
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 100));
  }
}
