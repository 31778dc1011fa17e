// Prints one "tests: N passed, N failed" line from vitest JSON reports.
// A missing or empty report counts as a failure: a run that tested nothing is not green.
import fs from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;
for (const file of process.argv.slice(2)) {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    if (report.numTotalTests === 0 || report.numFailedTestSuites > 0) broken = true;
  } catch (error) {
    console.error(`no test report at ${file}: ${error.message}`);
    broken = true;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || broken ? 1 : 0);
