/**
 * `openresponses/server` has two builds with one API: `src/server/index.ts` (the `node` export
 * condition: `serve()` and WebSocket mode on `node:http` and `ws`) and `src/server/portable.ts`
 * (everything else: Workers, edge runtimes, browsers). The portable one must load where no Node built-in
 * and no `ws` can be resolved, and must say clearly that `serve()` is not there.
 */

import { builtinModules } from "node:module";
import { resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";
import * as nodeBuild from "../../src/server/index.js";
import * as portable from "../../src/server/portable.js";

const ROOT = resolve(import.meta.dirname, "../..");
const NODE_BUILT_INS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Fails the bundle on any import of a Node built-in or of `ws`, as a Worker or edge bundler does. */
const noNodeImports: Plugin = {
  name: "no-node-imports",
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) =>
      NODE_BUILT_INS.has(args.path) || args.path === "ws" || args.path.startsWith("ws/")
        ? { errors: [{ text: `imports ${args.path}, which a Worker or edge bundle cannot resolve` }] }
        : undefined,
    );
  },
};

async function bundlePortable(options: { platform: "neutral" | "browser"; conditions: string[] }) {
  const result = await build({
    stdin: {
      contents: `
        import { createResponsesHandler, mockModel, serve } from "./src/server/portable.ts";
        export default { fetch: createResponsesHandler({ model: mockModel() }), serve };
      `,
      resolveDir: ROOT,
      sourcefile: "worker.ts",
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: options.platform,
    conditions: options.conditions,
    plugins: [noNodeImports],
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

describe("openresponses/server: the portable and the node build", () => {
  it("export the same names", () => {
    // A difference means an export was added to one build only: a web-standard one belongs in the list
    // of src/server/portable.ts and of src/server/index.ts, a Node-only one in src/server/node/index.ts
    // with a stand-in in src/server/node/unavailable.ts.
    expect(Object.keys(portable).sort()).toEqual(Object.keys(nodeBuild).sort());
  });

  it("keep the kit's internals private", () => {
    // Helpers of the handler, the engine and WebSocket mode: a server author reaches them through
    // createResponsesHandler / createResponsesEngine, never by name.
    const internals = [
      "attachForHandler",
      "assertDialect",
      "COMPACTION_PREFIX",
      "createApiKeyCheck",
      "DEFAULT_MAX_BODY_BYTES",
      "DIALECTS",
      "errorEnvelope",
      "formatSSE",
      "inDialect",
      "initialResource",
      "isTerminalEvent",
      "kitError",
      "packItems",
      "parseCompactBody",
      "parseCreateBody",
      "resolveContext",
      "unpackItems",
    ];
    for (const build of [nodeBuild, portable]) {
      expect(internals.filter((name) => name in build)).toEqual([]);
    }
    expect(portable.DEFAULT_MAX_REQUEST_BODY_BYTES).toBe(10 * 1024 * 1024);
  });

  it("the portable serve() rejects with an error that says what to do instead", async () => {
    const handler = portable.createResponsesHandler({ model: portable.mockModel() });
    await expect(portable.serve({ handler, port: 0 })).rejects.toThrow(
      /serve\(\) needs Node's http module.*portable build.*createResponsesHandler/s,
    );
    expect(() => portable.attachWebSocketMode({} as never, {} as never)).toThrow(/needs Node's http module/);
  });

  it("the portable handler answers a request (JSON and SSE) with web standards only", async () => {
    const handler = portable.createResponsesHandler({ model: portable.mockModel() });
    const json = await handler(
      new Request("http://x/v1/responses", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", input: "hi" }),
      }),
    );
    expect(json.status).toBe(200);
    expect(((await json.json()) as { status: string }).status).toBe("completed");
    const sse = await handler(
      new Request("http://x/v1/responses", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", input: "hi", stream: true }),
      }),
    );
    expect(sse.headers.get("content-type")).toContain("text/event-stream");
    expect(await sse.text()).toContain("response.completed");
  });

  // The bundlers of Workers (wrangler: workerd, worker, browser), Vercel and Next.js edge routes
  // (edge-light, browser), and a bundler told nothing (neutral).
  for (const [label, options] of [
    ["neutral, no conditions", { platform: "neutral", conditions: [] }],
    ["browser", { platform: "browser", conditions: [] }],
    ["Workers (workerd)", { platform: "neutral", conditions: ["workerd", "worker", "browser"] }],
    ["Next.js edge (edge-light)", { platform: "browser", conditions: ["edge-light"] }],
  ] as const) {
    it(`bundles for ${label} with no Node built-in and no ws resolvable`, async () => {
      const code = await bundlePortable({ platform: options.platform, conditions: [...options.conditions] });
      expect(code).toContain("text/event-stream");
      expect(code).not.toMatch(/from ["'](node:)?http["']/);
    }, 30_000);
  }

  it("the node build does not bundle that way (so the check above can fail)", async () => {
    const failure = await build({
      stdin: {
        contents: `export { serve } from "./src/server/index.ts";`,
        resolveDir: ROOT,
        sourcefile: "node.ts",
        loader: "ts",
      },
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      plugins: [noNodeImports],
      logLevel: "silent",
    }).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/imports node:http/);
  }, 30_000);
});
