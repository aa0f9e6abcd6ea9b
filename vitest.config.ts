/**
 * Two groups of tests. `fast` (what `npm test` runs) is everything a change is usually checked
 * against; `slow` holds the files that spend their time waiting on other programs — spawned CLIs and
 * children, pseudo-terminals, Redis, other SDKs, Chromium — and runs with `npm run test:all`, in CI
 * (`.ci/run`) and in `npx vitest run`, which runs both. A file belongs to `slow` by the time it takes
 * (measured in the README's Development section), never to hide it: CI runs every file.
 */

import { configDefaults, defineConfig } from "vitest/config";

const SLOW = [
  "test/cli/cli-spawned.test.ts",
  "test/cli/terminal.test.ts",
  "test/cli/serve-store.test.ts",
  "test/cli/demo.test.ts",
  "test/cli/check/exit-codes.test.ts",
  "test/client/keep-alive.test.ts",
  "test/server/kit/kv-store-redis.test.ts",
  "test/server/hostile/soak.test.ts",
  "test/server/hostile/websocket-backpressure.test.ts",
  "test/interop/**/*.test.ts",
  "test/browser/**/*.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "fast",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...SLOW],
          typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
        },
      },
      { extends: true, test: { name: "slow", include: SLOW } },
    ],
  },
});
