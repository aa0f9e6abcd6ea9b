/**
 * What a browser app pays for the client: a plain `import { OpenResponses }` that calls `create` and
 * `stream`, bundled by esbuild (minified, tree-shaken, browser platform, code-splitting on so the parts
 * loaded on demand become their own chunks). The bytes counted are the ones loaded up front: the entry
 * and every chunk it imports statically, gzipped. The tool loop, the WebSocket session's engine, the
 * stored-response requests, `parse()`'s reading, the transport's handling of error answers, redirects
 * and JSON bodies past `maxBodyBytes`, and the unread bodies of `asResponse()` are one module (`src/on-demand.ts`) loaded by a dynamic import when one of them is first
 * needed, so their code must not be among them. (esbuild assigns
 * code to chunks by the files each entry reaches, used or not: code that a lazy chunk uses from a file
 * the package's barrel re-exports anything of lands up front, which is why the tool loop runs a
 * conversation through `conversation/turn.ts` rather than the `Conversation` class, and why the package
 * exports `toInputItem(s)` through wrappers in `conversation/public-items.ts` rather than from `items.ts`.)
 *
 * BUDGET is where the client stands now, so that a change that makes it heavier fails here; the goal
 * is 12 KB (docs/benchmarks.md, "Bundle size", says how far off it is and what is left to move).
 */

import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const BUDGET_GZIP_BYTES = 17.79 * 1024;
const GOAL_GZIP_BYTES = 12 * 1024;
/**
 * An app that only reads a `ResponseStream`. Whatever the lazily loaded module uses from the package's
 * public files is in every app's bundle (any app can reach that module), while a client's own code is
 * only in a client's: moving code into that module can make the client lighter and every other app
 * heavier, which this budget catches.
 */
const STREAM_ONLY_BUDGET_GZIP_BYTES = 11.03 * 1024;

interface Bundle {
  /** Gzipped bytes of the entry and its static imports. */
  upFront: number;
  /** The source files with code in those chunks. */
  upFrontInputs: Set<string>;
  /** Gzipped bytes of every chunk, lazy ones included. */
  total: number;
}

async function bundle(source: string): Promise<Bundle> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, sourcefile: "app.ts", loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    minify: true,
    treeShaking: true,
    splitting: true,
    outdir: resolve(ROOT, ".bundle-size"),
    metafile: true,
    logLevel: "silent",
  });
  const gzipped = new Map(result.outputFiles.map((file) => [file.path, gzipSync(file.contents).length]));
  const outputs: Metafile["outputs"] = result.metafile.outputs;
  const byPath = new Map(Object.entries(outputs).map(([path, output]) => [resolve(ROOT, path), output]));
  const entry = [...byPath].find(([, output]) => output.entryPoint !== undefined);
  if (!entry) throw new Error("esbuild produced no entry chunk");
  const seen = new Set<string>();
  const upFrontInputs = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const output = byPath.get(path);
    if (!output) return;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput > 0) upFrontInputs.add(input);
    }
    for (const imported of output.imports) {
      if (imported.kind === "import-statement" && !imported.external) visit(resolve(ROOT, imported.path));
    }
  };
  visit(entry[0]);
  let upFront = 0;
  for (const path of seen) upFront += gzipped.get(path) ?? 0;
  let total = 0;
  for (const size of gzipped.values()) total += size;
  return { upFront, upFrontInputs, total };
}

/** Code a plain `create` + `stream` client must not load up front: each loads with its first use. */
const LOADED_ON_DEMAND = [
  "src/tools/run-loop.ts",
  "src/websocket/session-engine.ts",
  "src/websocket/platform.ts",
  "src/structured/parse.ts",
  "src/client/stored-requests.ts",
  "src/client/json-stream.ts",
  "src/conversation/conversation.ts",
  "src/conversation/turn.ts",
  "src/conversation/items.ts",
  "src/websocket/channel.ts",
  "src/core/rare-answers.ts",
  "src/core/http-errors.ts",
  "src/core/redirects.ts",
  "src/core/unread-body.ts",
];

describe("the client's bundle size", () => {
  it("create() and stream() load within the budget, without the tool loop", async () => {
    const { upFront, upFrontInputs, total } = await bundle(`
      import { OpenResponses } from "./src/index.ts";
      const client = new OpenResponses({ baseURL: "https://example.invalid/v1", apiKey: "k" });
      console.log(await client.responses.create({ model: "m", input: "hi" }));
      for await (const event of client.responses.stream({ model: "m", input: "hi" })) console.log(event);
    `);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(
      `client bundle (create + stream): ${kb(upFront)} gzipped up front, ${kb(total)} with lazy chunks; ` +
        `budget ${kb(BUDGET_GZIP_BYTES)}, goal ${kb(GOAL_GZIP_BYTES)}`,
    );
    expect(upFrontInputs.has("src/streaming/response-stream.ts")).toBe(true);
    for (const file of LOADED_ON_DEMAND) expect(upFrontInputs.has(file), file).toBe(false);
    expect(upFront).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  }, 30_000);

  it("an app that only reads a ResponseStream gets neither the client nor its transport, within its budget", async () => {
    const { upFront, upFrontInputs } = await bundle(`
      import { ResponseStream } from "./src/index.ts";
      const response = await fetch("https://example.invalid/stream");
      console.log(await ResponseStream.fromSSEResponse(response).finalResponse());
    `);
    expect(upFrontInputs.has("src/streaming/response-stream.ts")).toBe(true);
    expect(upFrontInputs.has("src/client/client.ts")).toBe(false);
    expect(upFrontInputs.has("src/client/responses.ts")).toBe(false);
    expect(upFrontInputs.has("src/core/transport.ts")).toBe(false);
    expect(upFront).toBeLessThanOrEqual(STREAM_ONLY_BUDGET_GZIP_BYTES);
  }, 30_000);

  // Each feature: the names the app imports and its use of them, the shell that must load with the
  // client (its class, when it has one) and the engine that must come as a chunk loaded on demand.
  const onDemand = [
    {
      name: "a client that runs tools gets the loop",
      imports: "OpenResponses",
      use: 'await client.responses.runTools({ model: "m", input: "hi", tools: [] })',
      shell: null,
      engine: "src/tools/run-loop.ts",
    },
    {
      name: "a client that opens a WebSocket session gets its engine",
      imports: "OpenResponses",
      use: 'await client.responses.connect().create({ model: "m", input: "hi" }).finalResponse()',
      shell: "src/websocket/session.ts",
      engine: "src/websocket/session-engine.ts",
    },
    {
      name: "a client that holds a Conversation gets its turn engine",
      imports: "Conversation, OpenResponses",
      use: 'await new Conversation(client).send("hi")',
      shell: "src/conversation/conversation.ts",
      engine: "src/conversation/turn.ts",
    },
  ];

  it.each(onDemand)(
    "$name as a chunk loaded on demand",
    async ({ imports, use, shell, engine }) => {
      const { upFront, upFrontInputs, total } = await bundle(`
      import { ${imports} } from "./src/index.ts";
      const client = new OpenResponses({ baseURL: "https://example.invalid/v1", apiKey: "k" });
      console.log(${use});
    `);
      if (shell !== null) expect(upFrontInputs.has(shell)).toBe(true);
      expect(upFrontInputs.has(engine)).toBe(false);
      expect(total).toBeGreaterThan(upFront);
    },
    30_000,
  );
});
