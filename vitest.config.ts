import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Tests run in Node with TZ=UTC (set by the npm script). PostgreSQL-backed tests are opt-in
// (SEGMINT_TEST_POSTGRES=1, set by .ci/run when a server answers); see test/support/databases.ts.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
