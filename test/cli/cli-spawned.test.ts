import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, closedPort, ROOT, runCli, startServe, stop } from "./spawn-cli.js";

// These tests spawn the real program (node --import tsx src/cli/main.ts), so they check what a user
// sees: output streams, exit codes and signals. Behaviour details are tested in-process (cli.test.ts).

const version = (JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { version: string }).version;

/** chat's stderr after its first line, which says who answers ("Talking to ..."). */
function afterTargetLine(stderr: string): string {
  expect(stderr).toMatch(/^Talking to /);
  return stderr.slice(stderr.indexOf("\n") + 1);
}

describe("openresponses (spawned)", { timeout: 40_000 }, () => {
  it("--help lists the commands; --version prints the package version", async () => {
    const [help, ver] = await Promise.all([runCli(["--help"]), runCli(["--version"])]);
    expect(help.code).toBe(0);
    for (const command of ["chat [prompt]", "serve", "check"]) expect(help.stdout).toContain(command);
    expect(ver.code).toBe(0);
    expect(ver.stdout.trim()).toBe(version);
  });

  it("chat streams the answer to a prompt from the built-in model and exits 0", async () => {
    const result = await runCli(["chat", "what", "is", "12", "*", "7?"]);
    expect(result.stderr).toBe(
      "Talking to the built-in model (model openresponses-mock, in-process): no --base-url, OPENRESPONSES_BASE_URL or OPENAI_BASE_URL is set.\n",
    );
    expect(result.stdout).toBe("12 * 7 = 84\n");
    expect(result.code).toBe(0);
  });

  it("chat --json prints NDJSON: every line parses, in sequence, ending with the terminal event", async () => {
    const result = await runCli(["chat", "--json", "echo hello json"]);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; sequence_number: number; delta?: string });
    expect(events[0]?.type).toBe("response.created");
    expect(events.at(-1)?.type).toBe("response.completed");
    const sequence = events.map((event) => event.sequence_number);
    expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    const text = events
      .filter((event) => event.type === "response.output_text.delta")
      .map((event) => event.delta);
    expect(text.join("")).toBe("hello json");
  });

  it("chat with piped stdin is a conversation that keeps its context", async () => {
    const result = await runCli(["chat"], { input: "my name is Ada\n\nwhat is my name?\n" });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      "Nice to meet you, Ada! I'll remember that for the rest of our conversation.",
      "Your name is Ada.",
    ]);
  });

  it("connection refused: one line on stderr naming the URL, exit 1", async () => {
    const port = await closedPort();
    const result = await runCli(["chat", "hello"], {
      env: cleanEnv({ OPENRESPONSES_BASE_URL: `http://127.0.0.1:${port}/v1` }),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = afterTargetLine(result.stderr).trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`http://127.0.0.1:${port}/v1`);
    expect(lines[0]).toContain("connection refused");
  });
});

describe("openresponses serve (spawned) with chat against it", { timeout: 40_000 }, () => {
  const KEY = "sk-cli-test-key-0123456789";
  let served: { child: ChildProcess; url: string; output: () => string } | undefined;

  beforeAll(async () => {
    served = await startServe(["--api-key", KEY]);
  }, 40_000);

  afterAll(async () => {
    if (served) await stop(served.child);
  }, 20_000);

  it("prints its URL on 127.0.0.1", () => {
    expect(served?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("chat with the right key (from the environment) streams the answer", async () => {
    const env = cleanEnv({ OPENRESPONSES_BASE_URL: `${served?.url}/v1`, OPENRESPONSES_API_KEY: KEY });
    const result = await runCli(["chat", "count to 3"], { env });
    expect(result.stderr).toBe(
      `Talking to ${served?.url}/v1 (OPENRESPONSES_BASE_URL), the server's default model.\n`,
    );
    expect(result.stdout).toBe("1, 2, 3.\n");
    expect(result.code).toBe(0);
  });

  it("chat with a wrong key: 'refused the API key', exit 1, no key printed", async () => {
    const wrong = "sk-wrong-key-abcdefghijkl";
    const result = await runCli(["chat", "--base-url", `${served?.url}/v1`, "--api-key", wrong, "hi"]);
    expect(result.code).toBe(1);
    expect(afterTargetLine(result.stderr).trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("refused the API key (401)");
    expect(result.stderr + result.stdout).not.toContain(wrong);
    expect(result.stderr + result.stdout).not.toContain(KEY);
  });

  it("stops cleanly on SIGTERM with exit code 0", async () => {
    const child = served?.child;
    if (!child) throw new Error("serve did not start");
    expect(await stop(child)).toBe(0);
    expect(served?.output()).toContain("Stopped.");
  });
});
