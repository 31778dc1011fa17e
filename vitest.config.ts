import { defineConfig } from 'vitest/config';

/** Unit and integration tests (`npm test`). Browser tests have their own config. */
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
