/**
 * The npm package carries what its README and its CLI point to: every guide the README links into
 * `docs/` (and `docs/cli.md`, which `check --help` names), but not the generated API pages; and the
 * README links to the specification itself.
 */

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const README = readFileSync(resolve(ROOT, "README.md"), "utf8");

/** The paths `npm pack` would put in the tarball (no scripts run, nothing written). */
function packedPaths(): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const [report] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  return (report?.files ?? []).map((file) => file.path);
}

describe("the package ships what the README and the CLI link to", () => {
  const packed = new Set(packedPaths());

  it("every docs/ page the README links to is in the tarball", () => {
    const linked = [...README.matchAll(/\]\((docs\/[^)#\s]+\.md)(?:#[^)]*)?\)/g)].map(
      (match) => match[1] ?? "",
    );
    expect(linked.length).toBeGreaterThan(5);
    for (const path of new Set(linked)) expect(packed, path).toContain(path);
  });

  it("docs/cli.md, named by `check --help`, is in the tarball; docs/api is not", () => {
    const help = readFileSync(resolve(ROOT, "src/cli/check/command.ts"), "utf8");
    expect(help).toContain("docs/cli.md");
    expect(packed).toContain("docs/cli.md");
    expect([...packed].filter((path) => path.startsWith("docs/api/"))).toEqual([]);
  });

  it("the README links to the specification", () => {
    expect(README).toContain("(https://www.openresponses.org/specification)");
  });
});
