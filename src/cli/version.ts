/**
 * The package version for `--version`. The CLI runs from `dist/cli.js` when installed and from
 * `src/cli/main.ts` in development, so it looks for the package.json one and two folders up.
 */

import { readFileSync } from "node:fs";

export function packageVersion(): string {
  for (const relative of ["../package.json", "../../package.json"]) {
    try {
      const json = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (json.name === "openresponses" && typeof json.version === "string") return json.version;
    } catch {}
  }
  return "unknown";
}
