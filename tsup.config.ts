import { defineConfig } from "tsup";

// Entry points: the dependency-free client core; the server kit in two builds with one API (`server`,
// portable, and `server.node`, with the Node adapter, chosen by the `node` export condition); the CLI.
// One set of declarations serves both server builds: they are generated from the portable entry, whose
// types need no @types/node.
//
// No source maps are shipped: the output is readable, unminified ES2022 with the source's names, so
// stack traces already point at code a person can read; maps without their sources make bundlers warn,
// and maps with them tripled the tarball.
export default defineConfig([
  {
    entry: { index: "src/index.ts", server: "src/server/portable.ts", "server.node": "src/server/index.ts" },
    format: ["esm", "cjs"],
    dts: { entry: { index: "src/index.ts", server: "src/server/portable.ts" } },
    sourcemap: false,
    target: "es2022",
    platform: "neutral",
    external: [/^node:/, "ws", "#ws"],
    splitting: true,
    treeshake: true,
  },
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    sourcemap: false,
    target: "node20",
    platform: "node",
    external: ["ws", "#ws"],
    banner: { js: "#!/usr/bin/env node" },
  },
]);
