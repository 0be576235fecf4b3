import { defineConfig } from "vitest/config";

// Two projects. `unit`: tests of src/ modules on their own (`*.unit.test.ts`), which need no
// Worker, so `npm run test:unit` runs them without bundling it. `worker`: every other test drives
// the bundled Worker in workerd (the fixture in test/support/fixture.ts); its global setup bundles
// the Worker once and, at the end, checks the secret ledger. `npm test` runs both.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each Worker test file starts its own workerd; two at a time suits a 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.unit.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "worker",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.unit.test.ts", "**/node_modules/**"],
          globalSetup: ["test/support/build-worker.ts"],
        },
      },
    ],
  },
});
