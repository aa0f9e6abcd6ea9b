/**
 * The registry of `--upstream` kinds is the one place a kind is described: the help of `chat` and
 * `serve` and the usage error for an unknown kind list every kind it has, so a kind added there can
 * never be missing from what a user reads.
 */

import { describe, expect, it } from "vitest";
import { UPSTREAM_KIND_NAMES, UPSTREAM_KINDS } from "../../src/cli/upstream-kinds.js";
import { runInProcess } from "./in-process.js";

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("upstream kinds: one registry, every kind in the help", () => {
  it("the registry has the kinds the docs name, in this order", () => {
    expect(UPSTREAM_KIND_NAMES).toEqual(["chat", "responses", "anthropic", "gemini"]);
  });

  it.each(["chat", "serve"])(
    "%s --help lists every registered kind, a line each, with its summary",
    async (command) => {
      const help = (await runInProcess([command, "--help"]).done).stdout;
      for (const [name, kind] of Object.entries(UPSTREAM_KINDS)) {
        expect(help, name).toMatch(new RegExp(`^ +${literal(name)} +${literal(kind.summary)}`, "m"));
      }
    },
  );

  it("serve --help names each kind's own key variable", async () => {
    const help = (await runInProcess(["serve", "--help"]).done).stdout.replace(/\s+/g, " ");
    for (const [name, kind] of Object.entries(UPSTREAM_KINDS)) {
      if (kind.keyEnv !== undefined) expect(help).toContain(`${kind.keyEnv} (${name})`);
    }
  });

  it("an unknown kind is a usage error that lists every registered kind", async () => {
    const result = await runInProcess(["serve", "--upstream", "toString:http://127.0.0.1:1/v1"]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`kind one of ${UPSTREAM_KIND_NAMES.join(", ")}`);
  });
});
