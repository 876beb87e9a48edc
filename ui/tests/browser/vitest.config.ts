// Browser tests: the built UI in headless Chromium with the Tauri IPC mocked (see harness.ts).
// Run `npm run build` first.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export default defineConfig({
  root: repoRoot,
  test: {
    include: ['ui/tests/browser/**/*.test.ts'],
    environment: 'node',
    // One Chromium at a time: the machines have two cores.
    fileParallelism: false,
    testTimeout: 15_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/browser.json' },
  },
});
