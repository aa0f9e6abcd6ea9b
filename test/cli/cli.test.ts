import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, serve } from "../../src/server/index.js";
import { runInProcess } from "./in-process.js";

const run = (args: string[], options?: Parameters<typeof runInProcess>[1]) =>
  runInProcess(args, options).done;

/** chat's stderr without its first line, which says who answers ("Talking to ..."). */
function afterTargetLine(stderr: string): string {
  expect(stderr).toMatch(/^Talking to /);
  return stderr.slice(stderr.indexOf("\n") + 1);
}

describe("openresponses (in-process): help and usage errors", () => {
  it("every command has --help and -h", async () => {
    for (const command of ["chat", "serve", "check"]) {
      for (const flag of ["--help", "-h"]) {
        const result = await run([command, flag]);
        expect(result.code).toBe(0);
        expect(result.stdout).toContain(`Usage: openresponses ${command}`);
      }
    }
    expect((await run(["help", "serve"])).stdout).toContain("Usage: openresponses serve");
  });

  it("bare openresponses (no command) prints the usage on stderr and exits 2", async () => {
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe("");
    expect(bare.stderr).toContain("Usage: openresponses <command>");
  });

  it("an unknown command or flag is one line on stderr and exit code 2", async () => {
    const command = await run(["frobnicate"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toBe(
      'openresponses: unknown command "frobnicate". Run "openresponses --help" for the list.\n',
    );
    const flag = await run(["chat", "--frob"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(
      `openresponses chat: Unknown option '--frob'. Run "openresponses chat --help".\n`,
    );
  });

  it("bad option values are usage errors that name the flag", async () => {
    const cases: Array<[string[], string]> = [
      [["serve", "--port", "99999"], "--port must be an integer from 0 to 65535"],
      [["serve", "--port", "abc"], "--port must be an integer"],
      [["serve", "--dialect", "anthropic"], '--dialect must be one of: spec, openai (got "anthropic")'],
      [["chat", "--reasoning", "lots", "hi"], "--reasoning must be one of"],
      [["chat", "--max-output-tokens", "3", "hi"], "--max-output-tokens must be an integer from 16"],
      [["chat", "--base-url", "ftp://h/v1", "hi"], "--base-url: Invalid baseURL"],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it("chat with nothing on stdin and no prompt says what to do", async () => {
    const result = await run(["chat"], { input: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Nothing to send");
  });
});

describe("openresponses chat (in-process)", () => {
  it("prints the reasoning summary on stderr, labelled, on lines of its own", async () => {
    const result = await run(["chat", "--reasoning", "low", "count to 2"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("1, 2.\n");
    expect(afterTargetLine(result.stderr)).toMatch(
      /^reasoning: They asked me to count from 1 to 2\.[^\n]*\n$/,
    );
  });

  it("reports an incomplete answer on stderr", async () => {
    const result = await run(["chat", "--max-output-tokens", "16", "tell me about yourself"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split(" ").length).toBe(16);
    expect(afterTargetLine(result.stderr)).toBe("(incomplete: max_output_tokens)\n");
  });

  it("sends --instructions with every turn", async () => {
    const result = await run(["chat", "--instructions", "Answer in uppercase."], {
      input: "echo one\necho two\n",
    });
    expect(result.stdout).toBe("ONE\nTWO\n");
  });

  it("stops a piped conversation at the first failure, exit 1", async () => {
    const result = await run(["chat", "--base-url", "http://127.0.0.1:9/v1"], { input: "one\ntwo\n" });
    expect(result.code).toBe(1);
    expect(afterTargetLine(result.stderr).trim().split("\n")).toHaveLength(1);
  });
});

describe("openresponses chat: a model that fails mid-stream", () => {
  let failing: RunningServer;

  beforeAll(async () => {
    const { createResponsesHandler } = await import("../../src/server/index.js");
    async function* model() {
      yield { type: "text" as const, delta: "partial " };
      throw Object.assign(new Error("the backend fell over"), { code: "backend_down" });
    }
    failing = await serve({ handler: createResponsesHandler({ model }), port: 0, host: "127.0.0.1" });
  });

  afterAll(async () => {
    await failing.close();
  });

  it("S8: keeps the streamed text, then one error line and exit 1", async () => {
    const result = await run(["chat", "--base-url", `${failing.url}/v1`, "hi"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("partial \n");
    expect(afterTargetLine(result.stderr).trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("The response stream failed");
  });
});

describe("openresponses chat: context when the server does not keep responses", () => {
  // A server that forgets every response: continuing with previous_response_id gets a 404.
  let forgetful: RunningServer;

  beforeAll(async () => {
    const { createResponsesHandler } = await import("../../src/server/index.js");
    const { mockModel } = await import("../../src/server/mock/index.js");
    const handler = createResponsesHandler({
      model: mockModel(),
      store: { get: () => undefined, set: () => undefined },
    });
    forgetful = await serve({ handler, port: 0, host: "127.0.0.1" });
  });

  afterAll(async () => {
    await forgetful.close();
  });

  it("falls back to resending the history and still recalls facts", async () => {
    const result = await run(["chat", "--base-url", `${forgetful.url}/v1`], {
      input: "my name is Ada\nwhat is my name?\nmy name is Grace\nwho am I?\n",
    });
    expect(afterTargetLine(result.stderr)).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n").slice(1)).toEqual([
      "Your name is Ada.",
      "Nice to meet you, Grace! I'll remember that for the rest of our conversation.",
      "Your name is Grace.",
    ]);
  });
});

describe("openresponses serve (in-process)", () => {
  it("serves until stopped, and a port in use is one clear line and exit 1", async () => {
    const first = runInProcess(["serve", "--port", "0"]);
    const deadline = Date.now() + 5_000;
    while (!/at http:\/\/127\.0\.0\.1:(\d+)\/v1/.test(first.stdout()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const port = /at http:\/\/127\.0\.0\.1:(\d+)\/v1/.exec(first.stdout())?.[1];
    try {
      expect(port).toBeDefined();
      const response = await fetch(`http://127.0.0.1:${port}/v1/responses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", input: "echo served" }),
      });
      expect(
        ((await response.json()) as { output: Array<{ content: Array<{ text: string }> }> }).output[0]
          ?.content[0]?.text,
      ).toBe("served");
      const second = await run(["serve", "--port", String(port)]);
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(
        `openresponses: Port ${port} is already in use on 127.0.0.1; choose another with --port.\n`,
      );
    } finally {
      first.stop();
    }
    const result = await first.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Stopped.");
  });
});

describe("openresponses serve --dialect openai", () => {
  it("streams reasoning as response.reasoning_text.delta, and serves the stored-response endpoints", async () => {
    const served = runInProcess(["serve", "--port", "0", "--dialect", "openai"]);
    const deadline = Date.now() + 5_000;
    while (!/at http:\/\/127\.0\.0\.1:(\d+)\/v1/.test(served.stdout()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const port = /at http:\/\/127\.0\.0\.1:(\d+)\/v1/.exec(served.stdout())?.[1];
    try {
      expect(port).toBeDefined();
      expect(served.stdout()).toContain("openai dialect");
      const response = await fetch(`http://127.0.0.1:${port}/v1/responses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: "what is 2 + 2?", reasoning: { effort: "low" }, stream: true }),
      });
      const text = await response.text();
      expect(text).toContain("event: response.reasoning_text.delta");
      expect(text).not.toContain("event: response.reasoning.delta");
      const id = /"id":"(resp_[^"]+)"/.exec(text)?.[1];
      const stored = await fetch(`http://127.0.0.1:${port}/v1/responses/${id}`);
      expect(stored.status).toBe(200);
      expect(((await stored.json()) as { id: string }).id).toBe(id);
    } finally {
      served.stop();
    }
    expect((await served.done).code).toBe(0);
  });
});

describe("openresponses serve: listen errors", () => {
  it("an address this machine does not have is one clear line and exit 1", async () => {
    const result = await run(["serve", "--port", "0", "--host", "10.255.255.1"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('openresponses: Cannot listen on host "10.255.255.1": no such address.\n');
  });
});

describe("openresponses chat: stopping and credentials", () => {
  /** Runs chat, stops it once the answer has started, and reports how long stopping took. */
  async function stopMidAnswer(args: string[], input?: string) {
    const running = runInProcess(args, { input });
    for (let waited = 0; running.stdout() === "" && waited < 5000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(running.stdout()).not.toBe("");
    const stoppedAt = Date.now();
    running.stop();
    const result = await running.done;
    return { ...result, stopMs: Date.now() - stoppedAt };
  }

  it("Ctrl-C during a one-prompt answer cancels the turn at once: exit 130, no error line", async () => {
    // 40 parts 250 ms apart: about 10 s if the turn were left to finish.
    const result = await stopMidAnswer(["chat", "--delay", "250", "count to 40"]);
    expect(result.stopMs).toBeLessThan(2000);
    expect(result.code).toBe(130);
    expect(afterTargetLine(result.stderr)).toBe("");
  }, 15_000);

  it("Ctrl-C during a turn of a piped conversation cancels it instead of waiting: exit 130", async () => {
    const result = await stopMidAnswer(["chat", "--delay", "250"], "count to 40\necho never sent\n");
    expect(result.stopMs).toBeLessThan(2000);
    expect(result.code).toBe(130);
    expect(result.stdout).not.toContain("never sent");
    expect(afterTargetLine(result.stderr)).toBe("");
  }, 15_000);

  it("a password in --base-url is never printed: a usage error that names neither part", async () => {
    const result = await run(["chat", "--base-url", "http://ada:pw-Zq81xK@127.0.0.1:9/v1", "hi"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain("pw-Zq81xK");
    expect(result.stderr).toContain("127.0.0.1:9");
  });
});

describe("openresponses chat: commands and who answers", () => {
  it("/help, /reset and an unknown /command are never sent to the model; // sends a leading slash", async () => {
    const result = await run(["chat"], {
      input:
        "my name is Ada\n/help\n/bogus\n/reset\nwhat is my name?\n//echo /etc/hosts\n/exit\necho never\n",
    });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      "Nice to meet you, Ada! I'll remember that for the rest of our conversation.",
      `You haven't told me your name yet. Tell me with "my name is …" and I'll remember it.`,
      'You said: "/echo /etc/hosts". I\'m the built-in Open Responses model: deterministic and offline. I can echo ("echo hello"), count ("count to 5", "how many words in the quick brown fox"), do arithmetic ("what is 12 * 7?"), remember what you tell me ("my name is Ada", then "what is my name?"), call the function tools you offer, reason out loud when you ask for reasoning, and answer in JSON for a json_schema format.',
    ]);
    const notes = afterTargetLine(result.stderr);
    expect(notes).toContain("/reset   forget the conversation");
    expect(notes).toContain("Unknown command /bogus");
    expect(notes).toContain("(Conversation reset");
  });

  it("a variable that looks like a misspelt base URL is named when the built-in model answers", async () => {
    const result = await run(["chat", "hi"], { env: { OPENRESPONSE_BASE_URL: "http://127.0.0.1:9/v1" } });
    expect(result.stderr.split("\n")[0]).toBe(
      "Talking to the built-in model (model openresponses-mock, in-process): no --base-url, OPENRESPONSES_BASE_URL or OPENAI_BASE_URL is set. OPENRESPONSE_BASE_URL is not read: did you mean OPENRESPONSES_BASE_URL?",
    );
  });

  it("the answer of a model that sends escape sequences is shown inert, even through a pipe", async () => {
    const result = await run(["chat", "echo \u001b]0;owned\u0007 \u009b2J done"]);
    expect(result.stdout).toBe("\\x1b]0;owned\\x07 \\x9b2J done\n");
  });

  it("chat --help aligns its columns, and gives the minimum of --max-output-tokens", async () => {
    const help = (await run(["chat", "--help"])).stdout;
    const options = help.slice(help.indexOf("Options:\n") + 9, help.indexOf("\n\nExamples:")).split("\n");
    expect(options.length).toBeGreaterThan(8);
    // Every description (or its continuation) starts in the same column, 27.
    for (const line of options) expect(line, line).toMatch(/^ {2}(-\S.{0,22}| {23}) {2}\S/);
    for (const line of options) expect(/^.{27}\S/.test(line) && !/^.{26}\S{2}/.test(line), line).toBe(true);
    expect(help).toContain("--max-output-tokens <n>  Output token budget per turn (at least 16).");
  });
});

describe("openresponses serve: where the key and the port come from", () => {
  it("usage errors: two key sources, an empty key, an unset variable, a missing file, a bad PORT", async () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [
        ["--api-key", "a", "--api-key-env", "K"],
        {},
        "Give only one of --api-key, --api-key-env, --api-key-file",
      ],
      [["--api-key", ""], {}, "--api-key is empty."],
      [["--api-key-env", "K"], {}, "--api-key-env: the variable K is not set, or empty."],
      [
        ["--api-key-file", "/nonexistent/key"],
        {},
        '--api-key-file: cannot read "/nonexistent/key" (ENOENT).',
      ],
      [[], { PORT: "http" }, 'PORT must be an integer from 0 to 65535 (got "http")'],
    ];
    for (const [args, env, message] of cases) {
      const result = await run(["serve", ...args], { env });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });
});
