import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Schema validation runs libxml2 in WebAssembly, and one test starts the server process.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
