import { defineConfig } from 'vitest/config';

/** Browser tests in real Chromium (`npm run test:browser`), one file at a time. */
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
