import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, "tests: N passed, N failed[, N skipped]", which CI reads in any language;
 * vitest's own summary is not in a format it knows. Before it, one "failed: <where>: <first error line>" line per
 * failed test, per failed hook of a suite (beforeAll/afterAll) and per file that failed outside its tests, so
 * that the last lines of a long log still name what failed. A failed hook or file counts as one failure.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const failures: string[] = [];
    const firstLine = (errors: ReadonlyArray<{ message?: string }> | undefined) => String(errors?.[0]?.message ?? '').split('\n')[0]!.slice(0, 300);
    for (const mod of testModules) {
      const file = mod.moduleId.replace(`${process.cwd()}/`, '');
      for (const test of mod.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed += 1;
        else if (result.state === 'failed') {
          failed += 1;
          failures.push(`failed: ${file} > ${test.fullName}: ${firstLine(result.errors)}`);
        } else skipped += 1;
      }
      // A suite's own errors are its hooks' (a failing beforeAll leaves its tests skipped, an afterAll its tests passed).
      for (const suite of mod.children.allSuites()) {
        const errors = suite.errors();
        if (errors.length === 0) continue;
        failed += 1;
        failures.push(`failed: ${file} > ${suite.fullName} (a hook): ${firstLine(errors)}`);
      }
      // The file's own errors: it failed to load, or a file-level hook failed.
      const errors = mod.errors();
      if (errors.length > 0 || (mod.state() === 'failed' && [...mod.children.allTests()].length === 0)) {
        failed += 1;
        failures.push(`failed: ${file} (outside its tests): ${firstLine(errors)}`);
      }
    }
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${failures.map((line) => `${line}\n`).join('')}tests: ${passed} passed, ${failed} failed${tail}\n`);
  }
}
