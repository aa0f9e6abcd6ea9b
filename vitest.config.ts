/**
 * The groups of tests. `fast` and `fast-isolated` (what `npm test` runs) are everything a change is
 * usually checked against; `slow` holds the files that spend their time waiting on other programs —
 * spawned CLIs and children, pseudo-terminals, Redis, other SDKs, Chromium, the CLI's run of a local
 * llama.cpp model — and `types` the type tests (the `.test-d.ts` files, with tsc over the whole
 * project, as `npm run typecheck` does). `npm run test:all` runs them all, in CI (`.ci/run`) and in
 * `npx vitest run`. A file belongs to `slow` by the time it takes (measured in the README's Development
 * section), never to hide it: CI runs every file.
 *
 * Why the pool is set as it is (measured on the 2-core machine, README "How long the tests take"):
 * - Vitest's default is one worker per core but one, so on 2 cores every file ran one after another,
 *   while most of a test's time is waiting on sockets and timers. Three workers keep both cores busy.
 * - `fast` does not isolate files: a worker imports the sources once instead of once per file, which
 *   was about half of the run's CPU time. So its files leave no state behind: they close their servers
 *   and restore the globals, environment variables and timers they change. A file that replaces a
 *   module (`vi.mock`) is in `fast-isolated` instead. `slow` keeps isolation too: its files are few and
 *   spend their time in other processes.
 * - The type tests are their own project because Vitest runs type checking after every other file,
 *   never beside them: with tsc's ~10 s of CPU at the end, `npm test` would wait for it each time.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const SLOW = [
  "test/cli/cli-spawned.test.ts",
  "test/cli/terminal.test.ts",
  "test/cli/serve-store.test.ts",
  "test/cli/demo.test.ts",
  "test/cli/check/exit-codes.test.ts",
  "test/cli/model-file.test.ts",
  "test/client/keep-alive.test.ts",
  "test/server/kit/kv-store-redis.test.ts",
  "test/server/hostile/soak.test.ts",
  "test/server/hostile/websocket-backpressure.test.ts",
  "test/interop/**/*.test.ts",
  "test/browser/**/*.test.ts",
];

const TYPE_TESTS = ["test/**/*.test-d.ts"];

/** Every `.test.ts` file under `dir`, as a path from the repository root. */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

// A file that replaces a module (`vi.mock`) runs isolated: in a shared worker the mock would stay in
// place for the files that run after it there. Found by reading the files, so a new one cannot be missed.
const MOCKING = testFiles("test").filter((path) => /\bvi\.(mock|doMock)\(/.test(readFileSync(path, "utf8")));

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: "fast",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...SLOW, ...MOCKING],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "fast-isolated",
          include: MOCKING,
          exclude: [...configDefaults.exclude, ...SLOW],
        },
      },
      { extends: true, test: { name: "slow", include: SLOW } },
      {
        extends: true,
        test: {
          name: "types",
          include: [],
          typecheck: { enabled: true, only: true, include: TYPE_TESTS, tsconfig: "./tsconfig.json" },
        },
      },
    ],
  },
});
