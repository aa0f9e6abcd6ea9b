/**
 * The human report as a person reads it: printed as the run goes (never a blank screen against a slow
 * server), and with every string a server chose shown inert, while the JSON and JUnit reports keep those
 * strings exact.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runInProcess } from "../in-process.js";
import { type BrokenServer, brokenServer } from "./broken-server.js";
import { runCheckJSON } from "./support.js";

/** A body with a clipboard write, a screen clear and line breaks that try to print a report line. */
const HOSTILE =
  "oops\u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\n  PASS  forged-scenario  http  all good\r\nCompliant: no MUST";

describe("check: the human report", () => {
  let server: BrokenServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("prints the header at once and each scenario as it finishes, not at the end of the run", async () => {
    server = await brokenServer({ raw: () => true }); // never answers: each scenario waits for its deadline
    const running = runInProcess([
      "check",
      "--base-url",
      server.url,
      "--only",
      "basic-response,instructions",
      "--timeout",
      "1500",
    ]);
    const waitFor = async (pattern: RegExp) => {
      for (let waited = 0; !pattern.test(running.stdout()) && waited < 10_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await waitFor(/^Checking /);
    expect(running.stdout()).toBe(`Checking ${server.url} against Open Responses 2026-04-24\n`);
    await waitFor(/FAIL {2}basic-response/);
    // The first scenario's result is out while the second still waits for its own deadline.
    expect(running.stdout()).not.toContain("instructions");
    const result = await running.done;
    expect(result.stdout).toMatch(/FAIL {2}instructions/);
    expect(result.stdout).toMatch(/Not compliant\.\n$/);
    expect(result.code).toBe(1);
  }, 20_000);

  it("shows what a server sent inert: no escape sequence reaches the terminal, no line is forged", async () => {
    server = await brokenServer({
      json: () => ({ status: 500, body: HOSTILE, contentType: "text/plain" }),
    });
    const dir = mkdtempSync(join(tmpdir(), "check-junit-"));
    try {
      const junit = join(dir, "report.xml");
      const human = await runInProcess([
        "check",
        "--base-url",
        server.url,
        "--only",
        "basic-response",
        "--junit",
        junit,
      ]).done;
      expect(human.code).toBe(1);
      expect(human.stdout).not.toContain("\u001b");
      expect(human.stdout).not.toContain("\u0007");
      expect(human.stdout).not.toContain("\r");
      const lines = human.stdout.split("\n");
      // The forged text sits inside evidence lines (H2 and E1 quote the body), never on a line of its own.
      const quoting = lines.filter((line) => line.includes("forged-scenario"));
      expect(quoting.length).toBeGreaterThan(0);
      for (const line of quoting) expect(line).toMatch(/^ {20}evidence: oops/);
      expect(lines.some((line) => /^\s*PASS/.test(line))).toBe(false);
      expect(lines.some((line) => line.startsWith("Compliant"))).toBe(false);
      expect(human.stdout).toContain(
        "evidence: oops\\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b[2J\\n  PASS  forged-scenario  http  all good\\r\\nCompliant: no MUST",
      );
      // JUnit: well-formed XML 1.0 (which cannot hold ESC or BEL at all), the line breaks kept as text.
      const xml = readFileSync(junit, "utf8");
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids exactly these
      expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      expect(xml).toContain(
        "oops\uFFFD]52;c;cm0gLXJmIH4=\uFFFD\uFFFD[2J\n  PASS  forged-scenario  http  all good\r\nCompliant",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // JSON: the exact text, escaped only as JSON requires.
    const { report } = await runCheckJSON(["--base-url", server.url, "--only", "basic-response"]);
    const evidence = report.scenarios[0]?.findings.map((finding) => finding.evidence);
    expect(evidence).toContain(HOSTILE);
  });
});
