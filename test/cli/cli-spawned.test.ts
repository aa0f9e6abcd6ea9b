import type { ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
    // The key from the environment, so it is not in the process list.
    served = await startServe(["--api-key-env", "CLI_TEST_KEY"], 30_000, {
      env: cleanEnv({ CLI_TEST_KEY: KEY }),
    });
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

  it("chat reads OPENAI_BASE_URL (a bare origin gets /v1) and OPENAI_API_KEY beside it, and says so", async () => {
    const env = cleanEnv({ OPENAI_BASE_URL: `${served?.url}`, OPENAI_API_KEY: KEY });
    const result = await runCli(["chat", "echo via openai variables"], { env });
    expect(result.stderr).toBe(
      `Talking to ${served?.url}/v1 (OPENAI_BASE_URL), the server's default model.\n`,
    );
    expect(result.stdout).toBe("via openai variables\n");
    expect(result.code).toBe(0);
  });

  it("check adds /v1 to a bare origin; a refused key is exit 2 with a message, never a pass", async () => {
    const [good, wrong] = await Promise.all([
      runCli(["check", "--base-url", `${served?.url}`, "--api-key", KEY, "--only", "basic-response"]),
      runCli([
        "check",
        "--base-url",
        `${served?.url}/v1`,
        "--api-key",
        "sk-wrong-key-0000000000",
        "--only",
        "basic-response,auth-required,ws-response",
      ]),
    ]);
    expect(good.stdout).toContain(`Checking ${served?.url}/v1 against`);
    expect(good.stdout).toMatch(/PASS {2}basic-response/);
    expect(good.code).toBe(0);
    // auth-required passes (it leaves the key out on purpose), the others were refused: not compliant.
    expect(wrong.stdout).toMatch(/PASS {2}auth-required/);
    expect(wrong.stdout).toContain("Not judged: the server refused the credentials in 2 of 3 scenarios.");
    expect(wrong.stdout).not.toContain("Compliant");
    expect(wrong.stderr).toBe(
      "openresponses check: the server refused the credentials in 2 of 3 scenarios, so the run is not a pass. Check --api-key (and --auth-header, --auth-scheme).\n",
    );
    expect(wrong.code).toBe(2);
  });

  it("check: when every answer is 404, a hint about the base URL", async () => {
    const result = await runCli([
      "check",
      "--base-url",
      `${served?.url}/api`,
      "--api-key",
      KEY,
      "--only",
      "basic-response,streaming-response",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `openresponses check: every request was answered 404 Not Found: is ${served?.url}/api the base URL of the API? Requests go to ${served?.url}/api/responses; most servers serve it under /v1.\n`,
    );
  });

  it("logs one line per request (method, path, status, time) without the key or the query", async () => {
    await fetch(`${served?.url}/v1/responses?api_key=sk-in-query-9999`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ input: "echo logged" }),
    });
    await fetch(`${served?.url}/v1/responses`, { method: "POST", body: "{}" });
    await fetch(`${served?.url}/nowhere`);
    const deadline = Date.now() + 5000;
    while (!served?.output().includes("GET /nowhere") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const log = served?.output() ?? "";
    expect(log).toMatch(/^\d\d:\d\d:\d\d POST \/v1\/responses 200 \d+ms$/m);
    expect(log).toMatch(/^\d\d:\d\d:\d\d POST \/v1\/responses 401 \d+ms$/m);
    expect(log).toMatch(/^\d\d:\d\d:\d\d GET \/nowhere 404 \d+ms$/m);
    expect(log).not.toContain("sk-in-query");
    expect(log).not.toContain(KEY);
    expect(log).not.toContain("\u001b");
  });

  it("stops cleanly on SIGTERM with exit code 0", async () => {
    const child = served?.child;
    if (!child) throw new Error("serve did not start");
    expect(await stop(child)).toBe(0);
    expect(served?.output()).toContain("Stopped.");
  });
});

describe("openresponses serve (spawned): PORT, --quiet, --api-key-file", { timeout: 40_000 }, () => {
  let dir: string | undefined;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("listens on PORT when --port is not given, takes the key from a file, and --quiet logs nothing", async () => {
    dir = mkdtempSync(join(tmpdir(), "openresponses-key-"));
    const keyFile = join(dir, "key");
    writeFileSync(keyFile, "sk-from-a-file-1234567\n");
    chmodSync(keyFile, 0o600);
    const port = await closedPort();
    const served = await startServe(["--quiet", "--api-key-file", keyFile], 30_000, {
      env: cleanEnv({ PORT: String(port) }),
      port: false,
    });
    try {
      expect(served.url).toBe(`http://127.0.0.1:${port}`);
      const ask = (key: string) =>
        fetch(`${served.url}/v1/responses`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify({ input: "echo hi" }),
        });
      expect((await ask("sk-from-a-file-1234567")).status).toBe(200);
      expect((await ask("sk-wrong")).status).toBe(401);
    } finally {
      expect(await stop(served.child)).toBe(0);
    }
    expect(served.output()).not.toMatch(/POST \/v1\/responses/);
    expect(served.output()).not.toContain("sk-from-a-file");
  });

  it("check with FORCE_COLOR through a pipe: colour, but no progress line (stdout is not a terminal)", async () => {
    const forced = await runCli(["check", "--only", "basic-response"], {
      env: cleanEnv({ FORCE_COLOR: "1" }),
    });
    expect(forced.stdout).toContain("\u001b[32mPASS\u001b[39m");
    expect(forced.stdout).not.toContain("\r");
    expect(forced.code).toBe(0);
  });
});
