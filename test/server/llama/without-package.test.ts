/**
 * `node-llama-cpp` is optional: without it `openresponses/server` still loads, and `llamaCppModel`
 * fails on first use with an error that names the package and how to install it. Bad options fail at
 * once; the portable build says where a GGUF model can run instead.
 */

import { beforeEach, describe, expect, it, vi } from "vitest";
import * as portable from "../../../src/server/portable.js";

describe("llamaCppModel without node-llama-cpp", () => {
  // Each test imports the loader afresh: it keeps the import's outcome for the process.
  beforeEach(() => {
    vi.resetModules();
  });

  it("a missing package is LlamaCppUnavailableError naming the package and the install command", async () => {
    const { importNodeLlamaCpp } = await import("../../../src/server/llama/load.js");
    const { LlamaCppUnavailableError } = await import("../../../src/server/llama/errors.js");
    const missing = Object.assign(new Error("Cannot find package 'node-llama-cpp' imported from /app/x.js"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    const failure = await importNodeLlamaCpp(() => Promise.reject(missing)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LlamaCppUnavailableError);
    expect(failure).toMatchObject({ code: "llama_cpp_unavailable", cause: missing });
    expect((failure as Error).message).toMatch(
      /"node-llama-cpp" package, which is not installed: npm install node-llama-cpp@3\.21\.1/,
    );
  });

  it("another failure while importing it (a broken native addon, a missing dependency of it) is passed on", async () => {
    const { importNodeLlamaCpp } = await import("../../../src/server/llama/load.js");
    const crashed = new Error("the native addon crashed");
    await expect(importNodeLlamaCpp(() => Promise.reject(crashed))).rejects.toBe(crashed);
    const dependency = Object.assign(
      new Error("Cannot find package 'chalk' imported from /app/node_modules/node-llama-cpp/dist/index.js"),
      { code: "ERR_MODULE_NOT_FOUND" },
    );
    // Its message names node-llama-cpp's path: only the package itself being absent is "not installed".
    await expect(importNodeLlamaCpp(() => Promise.reject(dependency))).rejects.toBe(dependency);
  });
});

describe("llamaCppModel options", () => {
  it("a missing modelPath or a bad number is a TypeError at once, not at the first request", async () => {
    const { llamaCppModel } = await import("../../../src/server/index.js");
    expect(() => llamaCppModel({} as never)).toThrow(/needs a modelPath/);
    expect(() => llamaCppModel({ modelPath: "m.gguf", contextSize: 0 })).toThrow(
      /contextSize must be a positive integer/,
    );
    expect(() => llamaCppModel({ modelPath: "m.gguf", threads: 1.5 })).toThrow(
      /threads must be a positive integer/,
    );
    expect(llamaCppModel({ modelPath: "/x/Llama-3.2-1B-Q4_K_M.gguf" }).defaultModel).toBe(
      "Llama-3.2-1B-Q4_K_M",
    );
    expect(llamaCppModel({ modelPath: "/x/a.gguf", name: "local" }).defaultModel).toBe("local");
  });

  it("a model file that does not exist is an error naming the path", async () => {
    const { llamaCppModel } = await import("../../../src/server/index.js");
    const failure = await llamaCppModel({ modelPath: "/nonexistent/model.gguf" })
      .load()
      .catch((error: unknown) => error);
    expect(String(failure)).toMatch(/Cannot read the model file \/nonexistent\/model\.gguf: ENOENT/);
  });
});

describe("llamaCppModel in the portable build", () => {
  it("throws at once, saying that it runs in Node and how to reach it from here", () => {
    expect(() => portable.llamaCppModel({ modelPath: "m.gguf" })).toThrow(
      /runs a GGUF model in a Node process.*portable build.*openresponses serve --model-file/s,
    );
    expect(new portable.LlamaCppUnavailableError("x").code).toBe("llama_cpp_unavailable");
  });
});
