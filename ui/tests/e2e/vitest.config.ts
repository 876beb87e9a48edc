import { defineConfig } from "vitest/config";

// Real-app end-to-end tests: the built redline-desktop binary, driven through tauri-driver and
// WebKitWebDriver. Needs a display (scripts/test.sh wraps the run in xvfb-run).
export default defineConfig({
  test: {
    include: ["ui/tests/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ["default", "json"],
    outputFile: { json: "test-results/e2e.json" },
  },
});
