import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/build-worker.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own workerd; two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
