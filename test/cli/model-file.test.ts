/**
 * `serve --model-file` and `chat --model-file`: a local GGUF model on one command. With the tiny random
 * model from test/support/tiny-gguf.ts, `openresponses check` passes every scenario such a model can
 * pass; the two it cannot are named in the test below, with the reason.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWith, llamaCppNeed } from "../support/needs.js";
import { type TinyModelFile, writeTinyModel } from "../support/tiny-gguf.js";
import { failures, runCheckJSON } from "./check/support.js";
import { runInProcess } from "./in-process.js";
import { runCli } from "./spawn-cli.js";

const need = await llamaCppNeed();
// One thread (more are far slower on a busy machine), and a seed: the random model's answers, so the
// report, are the same on every run.
const SIZE = ["--threads", "1", "--gpu", "off", "--context-size", "2048", "--seed", "1"];

describe("--model-file flags", () => {
  it("the help of serve and chat documents them", async () => {
    const serve = (await runInProcess(["serve", "--help"]).done).stdout;
    expect(serve).toMatch(/--model-file <path>\s+Serve a local GGUF model/);
    for (const flag of [
      "--context-size <n>",
      "--threads <n>",
      "--gpu <kind>",
      "--sequences <n>",
      "--seed <n>",
    ]) {
      expect(serve).toContain(flag);
    }
    const chat = (await runInProcess(["chat", "--help"]).done).stdout;
    expect(chat).toMatch(/--model-file <path>\s+Run a local GGUF model in process/);
  });

  it("sizing flags without --model-file, or a bad --gpu, are usage errors (exit 2)", async () => {
    const stray = await runInProcess(["serve", "--threads", "2"]).done;
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--threads applies to a local model: it needs --model-file/);
    const gpu = await runInProcess(["serve", "--model-file", "m.gguf", "--gpu", "tpu"]).done;
    expect(gpu.code).toBe(2);
    expect(gpu.stderr).toMatch(/--gpu must be one of auto, cuda, vulkan, metal, off/);
    const both = await runInProcess(["chat", "--model-file", "m.gguf", "--base-url", "http://x/v1", "hi"])
      .done;
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(
      /--model-file runs a model in this process; it cannot be combined with a server \(--base-url\)/,
    );
    const twoModels = await runInProcess([
      "serve",
      "--model-file",
      "m.gguf",
      "--upstream",
      "chat:http://127.0.0.1:9/v1",
    ]).done;
    expect(twoModels.code).toBe(2);
    expect(twoModels.stderr).toMatch(
      /--upstream \(or --route\) and --model-file each name the model to serve/,
    );
  });

  it("a model file that does not exist fails at startup with one line naming it (exit 1)", async () => {
    const { code, stderr } = await runInProcess([
      "serve",
      "--model-file",
      "/nonexistent/m.gguf",
      "--port",
      "0",
    ]).done;
    expect(code).toBe(1);
    expect(stderr).toBe(
      "openresponses: cannot load the model: Cannot read the model file /nonexistent/m.gguf: ENOENT.\n",
    );
  });

  it("without node-llama-cpp installed, serve and chat say how to install it (exit 1)", async () => {
    const nodeArgs = ["--import", "./test/support/hide-node-llama-cpp.ts"];
    for (const command of ["serve", "chat"]) {
      const prompt = command === "chat" ? ["hello"] : ["--port", "0"];
      const { code, stderr } = await runCli([command, "--model-file", "/tmp/any.gguf", ...prompt], {
        nodeArgs,
        timeoutMs: 60_000,
      });
      expect(code).toBe(1);
      expect(stderr).toContain(
        `openresponses: --model-file runs the model with the node-llama-cpp package, which is not installed: npm install node-llama-cpp@3.21.1 (or in one command: npx -p openresponses -p node-llama-cpp@3.21.1 openresponses ${command} --model-file ...).`,
      );
    }
  }, 120_000);
});

describeWith(need, "a local GGUF model on one command", () => {
  let file: TinyModelFile;
  beforeAll(() => {
    file = writeTinyModel();
  });
  afterAll(() => file?.remove());

  it("serve --model-file: openresponses check passes every scenario a random text-only model can", async () => {
    const key = "sk-local-model-check";
    const served = runInProcess([
      "serve",
      "--model-file",
      file.path,
      "--port",
      "0",
      "--api-key",
      key,
      ...SIZE,
    ]);
    try {
      let url: string | undefined;
      for (let waited = 0; url === undefined && waited < 60_000; waited += 50) {
        url = /Serving tiny-llama \(llama\.cpp\) at (http:\/\/\S+)\/v1/.exec(served.stdout())?.[1];
        if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(served.stdout()).toContain(
        "context 2048 tokens per request, 2 at once, CPU (1 thread), chat format JinjaTemplate",
      );
      const { report } = await runCheckJSON([
        "--base-url",
        `${url}/v1`,
        "--api-key",
        key,
        "--model",
        "tiny-llama",
      ]);
      // The two it cannot pass, and why:
      // - image-input: llama.cpp runs this model on text only, so an image is refused by name (400
      //   unsupported_content) rather than silently dropped;
      // - tool-calling: with tool_choice "auto" the model decides whether to call, and a random model does
      //   not decide to. (With "required" or a named function the engine forces the call: those pass.)
      expect(failures(report)).toEqual([
        expect.stringMatching(/^image-input H2: image input: a valid request was answered with HTTP 400/),
        expect.stringMatching(
          /^tool-calling P4: Asked to use get_weather \(tool_choice auto\), the response made no function_call/,
        ),
      ]);
      const notPassed = report.scenarios
        .filter((scenario) => scenario.status !== "pass")
        .map((scenario) => scenario.id);
      expect(notPassed).toEqual(["image-input", "tool-calling"]);
      expect(report.scenarios.length).toBeGreaterThanOrEqual(31);
    } finally {
      served.stop();
      const { code, stdout } = await served.done;
      expect(code).toBe(0);
      expect(stdout).toMatch(/Stopped\.\n$/);
    }
  }, 180_000);

  it("chat --model-file: one streamed answer from the local model, then the process is free to exit", async () => {
    const { code, stdout, stderr } = await runInProcess([
      "chat",
      "--model-file",
      file.path,
      ...SIZE,
      "--json",
      "hello",
    ]).done;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(
      /^Loading .*tiny-llama\.gguf \.\.\.\nTalking to the local model .*tiny-llama\.gguf \(--model-file, in process\), model tiny-llama\.\n$/,
    );
    const events = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; response?: { model: string } });
    expect(events[0]?.type).toBe("response.created");
    expect(events.at(-1)).toMatchObject({
      type: expect.stringMatching(/^response\.(completed|incomplete)$/),
    });
    expect(events.at(-1)?.response?.model).toBe("tiny-llama");
  }, 60_000);
});
