/** The exit codes as a CI sees them, from the real program: 0 compliant, 1 a MUST broken, 2 usage or unreachable. */

import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../spawn-cli.js";
import { type BrokenServer, brokenServer, toSSE } from "./broken-server.js";

/** A port with nothing listening on it (bound, then closed). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("openresponses check: exit codes (spawned)", () => {
  let broken: BrokenServer;
  beforeAll(async () => {
    broken = await brokenServer({ sse: (events) => toSSE(events, { done: false }) });
  });
  afterAll(() => broken.close());

  it("0 for a compliant server, 1 when a MUST is broken", async () => {
    const ok = await runCli(["check", "--only", "basic-response,ws-response"], { timeoutMs: 30_000 });
    expect(ok.stdout).toMatch(/PASS {2}basic-response/);
    expect(ok.stdout).toContain("Compliant: no MUST of the specification was broken.");
    // Through a pipe: no colour, no progress line.
    expect(ok.stdout).not.toContain("\u001b");
    expect(ok.stdout).not.toContain("\r");
    expect(ok.code).toBe(0);
    const failed = await runCli(["check", "--base-url", broken.url, "--only", "streaming-response"], {
      timeoutMs: 30_000,
    });
    expect(failed.stdout).toMatch(/FAIL {2}streaming-response/);
    expect(failed.stdout).toMatch(
      /MUST {3}S3 {3}streaming response: the stream did not end with data: \[DONE\]\./,
    );
    expect(failed.stdout).toContain("MUST broken: S3.");
    expect(failed.code).toBe(1);
  });

  it("2 for an unreachable server and for a usage error", async () => {
    const port = await closedPort();
    const unreachable = await runCli(["check", "--base-url", `http://127.0.0.1:${port}/v1`], {
      timeoutMs: 30_000,
    });
    expect(unreachable.stderr).toMatch(
      /^openresponses check: Could not reach http:\/\/127\.0\.0\.1:\d+\/v1: .*ECONNREFUSED/,
    );
    // The header is printed at once; no scenario line follows it.
    expect(unreachable.stdout).toMatch(
      /^Checking http:\/\/127\.0\.0\.1:\d+\/v1 against Open Responses \S+\n$/,
    );
    expect(unreachable.code).toBe(2);
    const usage = await runCli(["check", "--only", "no-such-scenario"], { timeoutMs: 30_000 });
    expect(usage.stderr).toContain('Unknown scenario "no-such-scenario"');
    expect(usage.code).toBe(2);
    const transport = await runCli(["check", "--transport", "carrier-pigeon"], { timeoutMs: 30_000 });
    expect(transport.code).toBe(2);
  });
});
