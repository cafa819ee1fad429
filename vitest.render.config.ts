import { defineConfig } from 'vitest/config';

// The render test needs LibreOffice and poppler; `npm test` does not run it.
export default defineConfig({
  test: {
    include: ['tests/render/**/*.test.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
  },
});
