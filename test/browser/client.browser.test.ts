/**
 * The client entry (`src/index.ts`) in a real browser: bundled for the browser with esbuild, loaded by a
 * page in headless Chromium, and used against the built-in model over HTTP, SSE and WebSocket on one
 * origin (so no CORS is involved). Every scenario runs in the page with only the bundled client; its
 * result is put on `window` and asserted here, in Node.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install chromium`; `OPENRESPONSES_CHROMIUM_PATH`
 * for another path) and playwright-core; skipped with the reason when it is absent (test/support/needs.ts).
 */

import { resolve } from "node:path";
import { build } from "esbuild";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type * as ClientModule from "../../src/index.js";
import { OpenResponses } from "../../src/index.js";
import {
  createResponsesHandler,
  mockModel,
  type ResponsesHandler,
  type RunningServer,
  serve,
} from "../../src/server/index.js";
import { CHROMIUM_PATH, describeWith, needs } from "../support/needs.js";

const ROOT = resolve(import.meta.dirname, "../..");
const chromiumNeed = needs.chromium();
const MODEL = "openresponses-mock";
/** The longest any one scenario may take in the page. */
const SCENARIO_TIMEOUT_MS = 10_000;

/** What the page's module script puts on `window`. */
type Lib = typeof ClientModule;
type Outcome = { ok: true; value: unknown } | { ok: false; error: string };
interface PageWindow {
  lib: Lib;
  results: Record<string, Outcome>;
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>openresponses in a browser</title></head>
<body><script type="module">
import * as lib from "/client.js";
window.lib = lib;
window.results = {};
// Runs one scenario and records how it ended, for the test to wait on and read.
window.run = (key, scenario) => {
  scenario(lib).then(
    (value) => { window.results[key] = { ok: true, value }; },
    (error) => {
      const text = error instanceof Error ? error.name + ": " + error.message + "\\n" + error.stack : String(error);
      window.results[key] = { ok: false, error: text };
    },
  );
};
</script></body></html>`;

let bundle = "";
let bundleInputs: string[] = [];
let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

async function bundleClient(): Promise<void> {
  const result = await build({
    entryPoints: [resolve(ROOT, "src/index.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    metafile: true,
    logLevel: "silent",
  });
  bundle = result.outputFiles[0]!.text;
  bundleInputs = Object.keys(result.metafile.inputs);
}

/**
 * One origin for everything: the page at `/`, the bundle at `/client.js`, a route that re-serves a stream
 * with `toReadableStream()` at `/api/chat` (as the README's "server to browser" pattern does), and the
 * Open Responses API at `/v1/*`. The handler keeps the API handler's engine and base path, so `serve()`
 * attaches WebSocket mode on `/v1/responses` of the same port.
 */
async function startServer(): Promise<RunningServer> {
  const api = createResponsesHandler({ model: mockModel() });
  let nodeClient: OpenResponses | undefined;
  const site = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (request.method === "GET" && pathname === "/") {
      return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
    }
    if (request.method === "GET" && pathname === "/client.js") {
      return new Response(bundle, { headers: { "content-type": "text/javascript; charset=utf-8" } });
    }
    if (request.method === "POST" && pathname === "/api/chat") {
      nodeClient ??= new OpenResponses({ baseURL: `${server!.url}/v1`, apiKey: null, model: MODEL });
      const stream = await nodeClient.responses.stream({ input: await request.text() });
      return new Response(stream.toReadableStream(), { headers: { "content-type": "text/event-stream" } });
    }
    return api(request);
  };
  const handler: ResponsesHandler = Object.assign(site, {
    engine: api.engine,
    basePath: api.basePath,
    authenticate: api.authenticate,
    allowsOrigin: api.allowsOrigin,
    maxBodyBytes: api.maxBodyBytes,
  });
  return serve({ handler, port: 0, host: "127.0.0.1" });
}

/**
 * Runs `scenario` in the page with the bundled client and returns what it resolves to (JSON-like values
 * only). The function is sent as source text, so it may use nothing but its `lib` argument and browser
 * globals. The wait is bounded; a rejection comes back as a failed assertion naming the error.
 */
async function inPage<T>(name: string, scenario: (lib: Lib) => Promise<T>): Promise<T> {
  // Sent as an expression: the scenario's own source, called by the page's `run`.
  await page.evaluate(`window.run(${JSON.stringify(name)}, ${scenario.toString()})`);
  await page.waitForFunction((key) => key in (window as unknown as PageWindow).results, name, {
    timeout: SCENARIO_TIMEOUT_MS,
  });
  const outcome = await page.evaluate((key) => (window as unknown as PageWindow).results[key]!, name);
  if (!outcome.ok) throw new Error(`The "${name}" scenario failed in the browser: ${outcome.error}`);
  return outcome.value as T;
}

beforeAll(async () => {
  // Without Chromium every suite below is skipped (or, under OPENRESPONSES_TEST_ALL=1, fails).
  if (!chromiumNeed.present) return;
  await bundleClient();
  server = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    // Chromium's start-up alone took over 15 s on this 2-core machine while the other test files ran.
    timeout: 60_000,
  });
  context = await browser.newContext();
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/`, { timeout: 10_000 });
  await page.waitForFunction(() => "lib" in window && "results" in window, null, { timeout: 10_000 });
}, 90_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describeWith(chromiumNeed, "the client bundle", () => {
  it("imports nothing from Node: no node: built-in, no ws", () => {
    expect(bundle.length).toBeGreaterThan(0);
    expect(bundle).not.toMatch(/\bfrom\s*["']node:/);
    expect(bundle).not.toMatch(/\b(import|require)\s*\(\s*["']node:/);
    expect(bundle).not.toMatch(/\bfrom\s*["']ws["']/);
    expect(bundle).not.toMatch(/\b(import|require)\s*\(\s*["']ws["']/);
    expect(
      bundleInputs.filter((input) => input.startsWith("node:") || /node_modules\/ws\//.test(input)),
    ).toEqual([]);
    // The only file from outside src/: the stand-in for `ws` that `#ws` resolves to in browsers.
    expect(bundleInputs.filter((input) => !input.startsWith("src/"))).toEqual(["shims/no-ws.js"]);
  });
});

describeWith(chromiumNeed, "the client in headless Chromium", () => {
  it("runs in a real browser page", async () => {
    const info = await page.evaluate(() => ({
      userAgent: navigator.userAgent,
      hasProcess: "process" in globalThis,
      exports: Object.keys((window as unknown as PageWindow).lib).length,
    }));
    expect(info.userAgent).toMatch(/Chrome\//);
    expect(info.hasProcess).toBe(false);
    expect(info.exports).toBeGreaterThan(20);
  });

  it("responses.create answers", async () => {
    const result = await inPage("create", async (lib) => {
      const client = new lib.OpenResponses({ baseURL: `${location.origin}/v1`, model: "openresponses-mock" });
      const response = await client.responses.create({ input: "what is 12 * 7?" });
      return { text: response.output_text, status: response.status, model: response.model };
    });
    expect(result.text).toBe("12 * 7 = 84");
    expect(result.status).toBe("completed");
    expect(result.model).toBe("openresponses-mock");
  });

  it("responses.stream streams text deltas and a final response", async () => {
    const result = await inPage("stream", async (lib) => {
      const client = new lib.OpenResponses({ baseURL: `${location.origin}/v1`, model: "openresponses-mock" });
      const stream = client.responses.stream({ input: "count to 10" });
      const deltas: string[] = [];
      const types: string[] = [];
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === "response.output_text.delta") deltas.push(event.delta);
      }
      const final = await stream.finalResponse();
      const resolved = await stream;
      return {
        deltas,
        first: types[0],
        last: types[types.length - 1],
        finalText: lib.outputText(final),
        status: final.status,
        violations: resolved.violations.length,
      };
    });
    expect(result.deltas.length).toBeGreaterThan(1);
    expect(result.deltas.join("")).toBe("1, 2, 3, 4, 5, 6, 7, 8, 9, 10.");
    expect(result.finalText).toBe(result.deltas.join(""));
    expect(result.first).toBe("response.created");
    expect(result.last).toBe("response.completed");
    expect(result.status).toBe("completed");
    expect(result.violations).toBe(0);
  });

  it("previous_response_id recalls across two turns", async () => {
    const result = await inPage("recall", async (lib) => {
      const client = new lib.OpenResponses({ baseURL: `${location.origin}/v1`, model: "openresponses-mock" });
      const first = await client.responses.create({ input: "Hi! My name is Ada and I live in London." });
      const second = await client.responses.create({
        input: "What is my name?",
        previous_response_id: first.id,
      });
      return { first: first.output_text, second: second.output_text, previous: second.previous_response_id };
    });
    expect(result.first).toContain("Ada");
    expect(result.second).toBe("Your name is Ada.");
    expect(result.previous).toEqual(expect.stringMatching(/.+/));
  });

  it("a function-calling round trip with the builders", async () => {
    const result = await inPage("function-calling", async (lib) => {
      const client = new lib.OpenResponses({ baseURL: `${location.origin}/v1`, model: "openresponses-mock" });
      const tools = [
        lib.functionTool({
          name: "get_weather",
          description: "Get the current weather in a city",
          parameters: {
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
            additionalProperties: false,
          },
        }),
      ];
      const input: ClientModule.ItemParam[] = [lib.userMessage("What's the weather in Paris?")];
      const calls: string[] = [];
      for (let turn = 0; turn < 5; turn++) {
        const response = await client.responses.create({ input, tools });
        const functionCalls = response.output.filter((item) => item.type === "function_call");
        if (functionCalls.length === 0) return { calls, answer: response.output_text, turns: turn + 1 };
        for (const call of functionCalls) {
          const args = JSON.parse(call.arguments) as { city: string };
          calls.push(`${call.name}(${call.arguments})`);
          input.push(
            lib.functionCall({ callId: call.call_id, name: call.name, arguments: call.arguments }),
            lib.functionCallOutput(call.call_id, { city: args.city, temperature: 18, sky: "sunny" }),
          );
        }
      }
      throw new Error("The model never answered.");
    });
    expect(result.calls).toEqual(['get_weather({"city":"Paris"})']);
    expect(result.turns).toBe(2);
    expect(result.answer).toContain("temperature: 18");
    expect(result.answer).toContain("Paris");
  });

  it("runTools runs a tool() to the final answer", async () => {
    const result = await inPage("run-tools", async (lib) => {
      const client = new lib.OpenResponses({ baseURL: `${location.origin}/v1`, model: "openresponses-mock" });
      const seen: string[] = [];
      const getWeather = lib.tool({
        name: "get_weather",
        description: "Get the current weather in a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        execute: (args: { city: string }) => {
          seen.push(args.city);
          return { city: args.city, temperature: 21, sky: "clear" };
        },
      });
      const run = await client.responses.runTools({
        input: "What's the weather in Oslo?",
        tools: [getWeather],
      });
      return {
        seen,
        outputText: run.outputText,
        stopReason: run.stopReason,
        turns: run.responses.length,
        toolCalls: run.toolCalls.map((call) => ({ name: call.call.name, status: call.status })),
      };
    });
    expect(result.seen).toEqual(["Oslo"]);
    expect(result.stopReason).toBe("completed");
    expect(result.turns).toBe(2);
    expect(result.toolCalls).toEqual([{ name: "get_weather", status: "ok" }]);
    expect(result.outputText).toContain("temperature: 21");
  });

  it("an HTTP error surfaces as its error class (BadRequestError for a bad body)", async () => {
    const result = await inPage("http-error", async (lib) => {
      const client = new lib.OpenResponses({
        baseURL: `${location.origin}/v1`,
        model: "openresponses-mock",
        maxRetries: 0,
      });
      const body = { input: 42 } as unknown as ClientModule.CreateResponseBody;
      try {
        await client.responses.create(body);
        return { threw: false };
      } catch (error) {
        return {
          threw: true,
          badRequest: error instanceof lib.BadRequestError,
          apiError: error instanceof lib.APIError,
          status: error instanceof lib.APIError ? error.status : null,
          type: error instanceof lib.APIError ? error.type : null,
          param: error instanceof lib.APIError ? error.param : null,
          message: error instanceof Error ? error.message : String(error),
        };
      }
    });
    expect(result).toMatchObject({
      threw: true,
      badRequest: true,
      apiError: true,
      status: 400,
      type: "invalid_request",
      param: "input",
    });
  });

  it("ResponseStream.fromReadableStream reads toReadableStream() output from a fetch body", async () => {
    const result = await inPage("from-readable-stream", async (lib) => {
      // From a server route that passes a stream on with toReadableStream() (the README's pattern)...
      const response = await fetch("/api/chat", { method: "POST", body: "count to 5" });
      if (!response.ok || response.body === null) throw new Error(`/api/chat answered ${response.status}`);
      const stream = lib.ResponseStream.fromReadableStream(response.body);
      const deltas: string[] = [];
      for await (const delta of stream.textDeltas()) deltas.push(delta);
      const final = await stream.finalResponse();

      // ...and a browser-side round trip: a stream's toReadableStream() through a fetch Response body.
      const client = new lib.OpenResponses({ baseURL: `${location.origin}/v1`, model: "openresponses-mock" });
      const source = await client.responses.stream({ input: "echo hello browser" });
      const body = new Response(source.toReadableStream()).body;
      if (body === null) throw new Error("no body");
      const copy = lib.ResponseStream.fromReadableStream(body);
      const copied = await copy.finalResponse();
      return {
        deltas,
        finalText: lib.outputText(final),
        violations: stream.violations.length,
        copiedText: lib.outputText(copied),
        copiedEvents: copy.eventCount,
      };
    });
    expect(result.deltas.length).toBeGreaterThan(1);
    expect(result.deltas.join("")).toBe("1, 2, 3, 4, 5.");
    expect(result.finalText).toBe("1, 2, 3, 4, 5.");
    expect(result.violations).toBe(0);
    expect(result.copiedText).toBe("hello browser");
    expect(result.copiedEvents).toBeGreaterThan(2);
  });

  it("responses.connect() opens the browser's own WebSocket and finishes turns", async () => {
    const result = await inPage("websocket", async (lib) => {
      const client = new lib.OpenResponses({
        baseURL: `${location.origin}/v1`,
        model: "openresponses-mock",
        timeout: 5_000,
      });
      // Counts the sockets the page's own WebSocket class opens, to show that the session uses it.
      const Native = globalThis.WebSocket;
      const opened: string[] = [];
      globalThis.WebSocket = class CountingWebSocket extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          opened.push(String(url));
        }
      };
      const session = client.responses.connect({ openTimeout: 5_000 });
      try {
        const first = session.create({ input: "My name is Ada." });
        const deltas: string[] = [];
        for await (const event of first) {
          if (event.type === "response.output_text.delta") deltas.push(event.delta);
        }
        const firstResponse = await first.finalResponse();
        const second = await session
          .create({ input: "What is my name?", previous_response_id: firstResponse.id })
          .finalResponse();
        return {
          url: session.url,
          deltas: deltas.length,
          first: lib.outputText(firstResponse),
          firstStatus: firstResponse.status,
          second: lib.outputText(second),
          opened,
        };
      } finally {
        await session.close();
        globalThis.WebSocket = Native;
      }
    });
    const socketUrl = `${server!.url.replace("http://", "ws://")}/v1/responses`;
    expect(result.url).toBe(socketUrl);
    expect(result.opened).toEqual([socketUrl]);
    expect(result.deltas).toBeGreaterThan(0);
    expect(result.firstStatus).toBe("completed");
    expect(result.first).toContain("Ada");
    expect(result.second).toBe("Your name is Ada.");
  });

  it("connect() with an API key refuses to open in a browser, with a clear error", async () => {
    const result = await inPage("websocket-key", async (lib) => {
      const client = new lib.OpenResponses({ baseURL: `${location.origin}/v1`, apiKey: "sk-browser-test" });
      const session = client.responses.connect({ openTimeout: 5_000 });
      try {
        await session.create({ model: "openresponses-mock", input: "hello" }).finalResponse();
        return { threw: false, message: "" };
      } catch (error) {
        return { threw: true, message: error instanceof Error ? error.message : String(error) };
      } finally {
        await session.close();
      }
    });
    expect(result.threw).toBe(true);
    expect(result.message).toContain("Browsers cannot set headers on a WebSocket");
    expect(result.message).not.toContain("sk-browser-test");
  });

  it("the page saw no uncaught error", () => {
    expect(pageErrors).toEqual([]);
  });
});
