import { defineConfig } from "tsup";

// Three entry points: the dependency-free client core, the server kit, and the CLI binary.
export default defineConfig([
  {
    entry: { index: "src/index.ts", server: "src/server/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    target: "es2022",
    platform: "neutral",
    external: [/^node:/, "ws"],
    splitting: true,
    treeshake: true,
  },
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "node20",
    platform: "node",
    external: ["ws"],
    banner: { js: "#!/usr/bin/env node" },
  },
]);
