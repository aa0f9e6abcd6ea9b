/**
 * The examples run unchanged against a server chosen by the environment: here the package's own server
 * kit with its deterministic built-in model, on 127.0.0.1 port 0. They are imported in-process (their
 * top-level code runs on import) with console and stdout captured, which keeps this file fast.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createResponsesHandler, mockModel, type RunningServer, serve } from "../../src/server/index.js";

const KEY = "examples-test-key-1";
const ENV = ["OPENRESPONSES_BASE_URL", "OPENRESPONSES_API_KEY", "OPENRESPONSES_MODEL"] as const;

describe("examples run against any server through the environment", () => {
  let server: RunningServer;
  const saved = new Map(ENV.map((name) => [name, process.env[name]]));
  beforeAll(async () => {
    server = await serve({ handler: createResponsesHandler({ model: mockModel(), apiKey: KEY }), port: 0 });
    process.env.OPENRESPONSES_BASE_URL = server.url;
    process.env.OPENRESPONSES_API_KEY = KEY;
    process.env.OPENRESPONSES_MODEL = "mock";
  });
  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await server.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  /** Imports an example and returns what it printed. */
  const runExample = async (name: string): Promise<string> => {
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void out.push(`${args.join(" ")}\n`));
    vi.spyOn(console, "error").mockImplementation(
      (...args: unknown[]) => void out.push(`ERR ${args.join(" ")}\n`),
    );
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    await import(`../../examples/${name}.ts`);
    vi.restoreAllMocks();
    expect(process.exitCode ?? 0).toBe(0);
    return out.join("");
  };

  it("basic_usage prints output_text and the status", async () => {
    const out = await runExample("basic_usage");
    expect(out).toMatch(/bedtime story about a unicorn/);
    expect(out).toMatch(/status: completed/);
  });

  it("streaming prints the deltas and the final status", async () => {
    const out = await runExample("streaming");
    // The built-in model counts (spelled-out numbers too); it answers in digits on one line.
    expect(out).toMatch(/1, 2, 3, 4, 5, 6, 7, 8, 9, 10\./);
    expect(out).toMatch(/status: completed, output items: 1/);
  });

  it("function_calling runs the tool and prints the final answer", async () => {
    const out = await runExample("function_calling");
    expect(out).toMatch(/turn 1: get_weather\(\{"city":"Paris"\}\)/);
    expect(out).toMatch(/temperature/);
    expect(out).not.toMatch(/Stopped after/);
  });
});
