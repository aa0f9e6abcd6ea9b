/**
 * examples/tool_loop.ts against a server named by the environment (the kit with the built-in model on
 * 127.0.0.1 port 0). It is imported in-process, with its output captured; its top-level code awaits the
 * whole example.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createResponsesHandler, mockModel, type RunningServer, serve } from "../../src/server/index.js";

const ENV = ["OPENRESPONSES_BASE_URL", "OPENRESPONSES_API_KEY", "OPENRESPONSES_MODEL"] as const;

describe("examples/tool_loop.ts", () => {
  let server: RunningServer;
  const saved = new Map(ENV.map((name) => [name, process.env[name]]));
  const requests: string[] = [];
  beforeAll(async () => {
    const handler = createResponsesHandler({ model: mockModel() });
    server = await serve({
      handler: async (request) => {
        requests.push(new URL(request.url).pathname);
        return handler(request);
      },
      port: 0,
      host: "127.0.0.1",
    });
    process.env.OPENRESPONSES_BASE_URL = server.url;
    process.env.OPENRESPONSES_MODEL = "mock";
    delete process.env.OPENRESPONSES_API_KEY;
  });
  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await server.close();
  });

  it("runs the loop awaited and streamed against OPENRESPONSES_BASE_URL", async () => {
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void out.push(`${args.join(" ")}\n`));
    vi.spyOn(console, "error").mockImplementation(
      (...args: unknown[]) => void out.push(`ERR ${args.join(" ")}\n`),
    );
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      await import("../../examples/tool_loop.js");
    } finally {
      vi.restoreAllMocks();
    }
    const text = out.join("");
    expect(process.exitCode ?? 0).toBe(0);
    expect(text).not.toContain("ERR");
    expect(text).not.toContain("built-in model at");
    expect(text).toContain('turn 1: get_weather({"city":"Paris","unit":"celsius"})');
    expect(text).toContain('turn 1: get_weather({"city":"Oslo","unit":"celsius"})');
    expect(text).toContain("[turn 1] get_weather →");
    expect(text.match(/stop reason: completed/g)).toHaveLength(2);
    // Two runs of two turns each, all through the server named by the environment.
    expect(requests.filter((path) => path.endsWith("/responses"))).toHaveLength(4);
  });
});
