import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, "tests: N passed, N failed[, N skipped]", which CI reads in any language;
 * vitest's own summary is not in a format it knows. Before it, one "failed: <file> > <test>: <first error line>"
 * line per failed test, so that the last lines of a long log still name what failed.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const failures: string[] = [];
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed += 1;
        else if (result.state === 'failed') {
          failed += 1;
          const first = (result.errors?.[0]?.message ?? '').split('\n')[0]!.slice(0, 300);
          failures.push(`failed: ${mod.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}: ${first}`);
        } else skipped += 1;
      }
      // A file that failed to load has no tests but must still count as a failure.
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) {
        failed += 1;
        const first = (mod.errors()[0]?.message ?? '').split('\n')[0]!.slice(0, 300);
        failures.push(`failed: ${mod.moduleId.replace(`${process.cwd()}/`, '')} (did not load): ${first}`);
      }
    }
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${failures.map((line) => `${line}\n`).join('')}tests: ${passed} passed, ${failed} failed${tail}\n`);
  }
}
