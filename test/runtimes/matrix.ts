/**
 * The runtime matrix (`npm run test:runtimes`): the packed package (`npm pack`) installed into a fresh
 * consumer project in a temporary folder, with the runtimes themselves from npm as its devDependencies
 * (`runtimes.json`), and in each runtime:
 *
 * - the client: `responses.create`, `responses.stream` and a WebSocket turn against the kit (served by
 *   Node, with an API key; Chromium, which cannot set headers on a WebSocket, against a keyless one);
 * - the kit: its fetch handler served by that runtime, hit by the Node client (JSON and SSE; WebSocket
 *   mode too where `serve()` runs it).
 *
 * Runtimes: Node 20 ESM and CommonJS, Bun, Deno, Vercel's edge-runtime, workerd (Cloudflare Workers,
 * through miniflare, without nodejs_compat) and Debian's Chromium (through playwright-core). The consumer
 * project is also type-checked without @types/node under moduleResolution node10, node16 and bundler.
 *
 * Prints a table and exits 1 when anything failed. `OPENRESPONSES_MATRIX_KEEP=1` keeps the folder.
 */

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import { chromium } from "playwright-core";
import { CHROMIUM_PATH } from "../support/needs.js";

const ROOT = resolve(import.meta.dirname, "../..");
const HERE = import.meta.dirname;
const KEY = "sk-matrix-key-0123456789";
const START_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 60_000;

interface ScenarioResult {
  create?: string;
  stream?: string;
  streamDeltas?: number;
  streamFinal?: string;
  websocket?: string;
  wrongKey?: string;
}
type Outcome = { ok: true; value: ScenarioResult } | { ok: false; error: string };
interface Row {
  runtime: string;
  client: string;
  handler: string;
  failures: string[];
}

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (line: string) => console.log(`[matrix ${elapsed()}] ${line}`);

function sh(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

// --- 1. the tarball, and a fresh consumer project that installs it --------------------------------

const work = mkdtempSync(join(tmpdir(), "openresponses-runtimes-"));
const consumer = join(work, "consumer");
const children: ChildProcess[] = [];

function cleanup(): void {
  for (const child of children) child.kill("SIGKILL");
  if (process.env.OPENRESPONSES_MATRIX_KEEP === "1") log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.on("exit", cleanup);
process.on("SIGINT", () => process.exit(130));

if (process.env.OPENRESPONSES_MATRIX_NO_BUILD !== "1") {
  log("npm run build");
  sh("npm", ["run", "build", "--silent"], ROOT);
}
const packed = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", work], ROOT)) as Array<{
  filename: string;
  size: number;
}>;
const tarball = join(work, packed[0]!.filename);
log(`packed ${packed[0]!.filename} (${(packed[0]!.size / 1024).toFixed(0)} kB)`);

cpSync(join(HERE, "fixtures"), consumer, { recursive: true });
const runtimes = JSON.parse(readFileSync(join(HERE, "runtimes.json"), "utf8")) as Record<string, string>;
writeFileSync(
  join(consumer, "package.json"),
  JSON.stringify(
    {
      name: "openresponses-consumer",
      private: true,
      type: "module",
      dependencies: { openresponses: `file:${tarball}` },
      devDependencies: runtimes,
    },
    null,
    2,
  ),
);
log(`npm install in ${consumer} (openresponses from the tarball; ${Object.keys(runtimes).join(", ")})`);
sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], consumer);

// --- 2. the declarations need no @types/node, in every moduleResolution ---------------------------

const typeFailures: string[] = [];
for (const [resolution, module] of [
  ["node10", "commonjs"],
  ["node16", "node16"],
  ["bundler", "esnext"],
] as const) {
  const dir = join(consumer, `types-${resolution}`);
  cpSync(join(HERE, "types"), dir, { recursive: true });
  const compilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: [],
    lib: ["es2022", "dom", "dom.iterable"],
    target: "es2022",
    module,
    moduleResolution: resolution,
    ...(resolution === "node10" ? { esModuleInterop: true } : {}),
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["*.ts"] }));
  if (resolution === "node16") writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  try {
    sh(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], consumer);
  } catch (error) {
    typeFailures.push(`${resolution}: ${(error as { stdout?: string }).stdout ?? String(error)}`);
  }
}
log(typeFailures.length === 0 ? "types: node10, node16, bundler without @types/node" : "types: FAILED");

// --- 3. bundles for the runtimes that take one ----------------------------------------------------

const NODE_BUILT_INS = new Set(
  (await import("node:module")).builtinModules.flatMap((name) => [name, `node:${name}`]),
);
/** A Worker or edge bundle may resolve no Node built-in, as their bundlers refuse them too. */
const noNodeBuiltIns: Plugin = {
  name: "no-node-built-ins",
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) =>
      NODE_BUILT_INS.has(args.path)
        ? { errors: [{ text: `${args.importer} imports ${args.path}` }] }
        : undefined,
    );
  },
};
async function bundle(entry: string, out: string, options: { conditions: string[]; iife: boolean }) {
  await build({
    absWorkingDir: consumer,
    entryPoints: [join(consumer, entry)],
    outfile: join(consumer, out),
    bundle: true,
    format: options.iife ? "iife" : "esm",
    platform: options.iife ? "browser" : "neutral",
    mainFields: ["browser", "module", "main"],
    conditions: options.conditions,
    target: "es2022",
    plugins: [noNodeBuiltIns],
    logLevel: "error",
  });
}
await bundle("worker.mjs", "worker.bundle.mjs", {
  conditions: ["workerd", "worker", "browser"],
  iife: false,
});
await bundle("edge.mjs", "edge.bundle.js", { conditions: ["edge-light", "browser"], iife: true });
await bundle("browser.mjs", "browser.bundle.js", { conditions: ["browser"], iife: true });
log("bundled for workerd, edge-runtime and Chromium");

// --- 4. servers -----------------------------------------------------------------------------------

/** Starts a fixture server and resolves with its base URL once it prints `LISTENING <url>`. */
function startServer(label: string, command: string, args: string[], apiKey: string | null): Promise<string> {
  const child = spawn(command, args, {
    cwd: consumer,
    env: {
      ...process.env,
      KIT_API_KEY: apiKey ?? "",
      DENO_DIR: join(work, "deno-cache"),
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${label} did not start in time:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const url = /LISTENING (\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolveUrl(url.replace(/\/$/, ""));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code}) before listening:\n${output}`));
    });
  });
}

function stopServer(): void {
  const child = children.pop();
  child?.kill("SIGTERM");
  setTimeout(() => child?.kill("SIGKILL"), 2000).unref();
}

/** Runs the client scenario inside the runtime behind `at`, against `target`. */
async function clientAt(at: string, target: { baseURL: string; apiKey: string | null; websocket: boolean }) {
  const url = `${at}/__client?options=${encodeURIComponent(JSON.stringify(target))}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  try {
    return JSON.parse(text) as Outcome;
  } catch {
    return { ok: false, error: `HTTP ${response.status}: ${text.slice(0, 500)}` } as Outcome;
  }
}

const kit = await startServer("the kit (Node)", process.execPath, ["serve-node.mjs"], KEY);
const openKit = await startServer("the keyless kit (Node)", process.execPath, ["serve-node.mjs"], null);
log(`the kit at ${kit} (API key), the keyless one at ${openKit}`);

// The reference: Node's client against Node's kit. Its results must mean what the scenario asked for;
// every other runtime must then give exactly the same.
const referenceOutcome = await clientAt(kit, { baseURL: `${kit}/v1`, apiKey: KEY, websocket: true });
if (!referenceOutcome.ok) throw new Error(`The reference run failed: ${referenceOutcome.error}`);
const reference = referenceOutcome.value;
const referenceProblems = [
  reference.create?.includes("84") ? null : `create answered ${JSON.stringify(reference.create)}`,
  (reference.streamDeltas ?? 0) > 1 && reference.stream === reference.streamFinal ? null : "stream",
  reference.websocket?.includes("Ada") ? null : `websocket answered ${JSON.stringify(reference.websocket)}`,
  reference.wrongKey === "AuthenticationError 401" ? null : `a wrong key gave ${reference.wrongKey}`,
].filter((problem): problem is string => problem !== null);
if (referenceProblems.length > 0)
  throw new Error(`The reference run is wrong: ${referenceProblems.join("; ")}`);

/** What differs from the reference, for the parts `parts` (`websocket` only where it ran). */
function compare(outcome: Outcome, parts: Array<keyof ScenarioResult>): string[] {
  if (!outcome.ok) return [outcome.error.split("\n").slice(0, 6).join("\n")];
  return parts
    .filter((part) => JSON.stringify(outcome.value[part]) !== JSON.stringify(reference[part]))
    .map(
      (part) =>
        `${part}: ${JSON.stringify(outcome.value[part])}, expected ${JSON.stringify(reference[part])}`,
    );
}

const HTTP_PARTS: Array<keyof ScenarioResult> = [
  "create",
  "stream",
  "streamDeltas",
  "streamFinal",
  "wrongKey",
];
const bin = (name: string) => join(consumer, "node_modules/.bin", name);
const RUNTIMES: Array<{ name: string; command: string; args: string[]; websocketServer: boolean }> = [
  { name: "Node 20 ESM", command: process.execPath, args: ["serve-node.mjs"], websocketServer: true },
  { name: "Node 20 CommonJS", command: process.execPath, args: ["serve-node.cjs"], websocketServer: true },
  { name: "Bun", command: bin("bun"), args: ["serve-bun.mjs"], websocketServer: false },
  { name: "Deno", command: bin("deno"), args: ["run", "-A", "serve-deno.mjs"], websocketServer: false },
  { name: "edge-runtime", command: process.execPath, args: ["serve-edge.mjs"], websocketServer: false },
  {
    name: "workerd (miniflare)",
    command: process.execPath,
    args: ["serve-workerd.mjs"],
    websocketServer: false,
  },
];

const rows: Row[] = [];
if (typeFailures.length > 0) {
  rows.push({ runtime: "TypeScript, no @types/node", client: "FAIL", handler: "-", failures: typeFailures });
} else {
  rows.push({
    runtime: "TypeScript, no @types/node",
    client: "node10, node16, bundler",
    handler: "-",
    failures: [],
  });
}

for (const runtime of RUNTIMES) {
  const failures: string[] = [];
  let client = "FAIL";
  let handler = "FAIL";
  try {
    const at = await startServer(runtime.name, runtime.command, runtime.args, KEY);
    const asClient = await clientAt(at, { baseURL: `${kit}/v1`, apiKey: KEY, websocket: true });
    const clientFailures = compare(asClient, [...HTTP_PARTS, "websocket"]);
    if (clientFailures.length === 0) client = "create, stream, WebSocket (API key)";
    failures.push(...clientFailures.map((failure) => `client: ${failure}`));
    const websocket = runtime.websocketServer;
    const asServer = await clientAt(kit, { baseURL: `${at}/v1`, apiKey: KEY, websocket });
    const serverFailures = compare(asServer, websocket ? [...HTTP_PARTS, "websocket"] : HTTP_PARTS);
    if (serverFailures.length === 0) handler = websocket ? "JSON, SSE, WebSocket" : "JSON, SSE";
    failures.push(...serverFailures.map((failure) => `handler: ${failure}`));
  } catch (error) {
    failures.push(String(error instanceof Error ? error.message : error));
  } finally {
    stopServer();
  }
  rows.push({ runtime: runtime.name, client, handler, failures });
  log(`${runtime.name}: ${failures.length === 0 ? "ok" : "FAILED"}`);
}

// --- 5. Chromium ----------------------------------------------------------------------------------

{
  const failures: string[] = [];
  let client = "FAIL";
  let handler = "FAIL";
  let pageServer: Server | undefined;
  if (!existsSync(CHROMIUM_PATH)) {
    failures.push(
      `Chromium is not at ${CHROMIUM_PATH} (apt-get install chromium, or set OPENRESPONSES_CHROMIUM_PATH)`,
    );
  } else {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
      ],
      timeout: 30_000,
    });
    try {
      const page = await browser.newPage();
      const script = readFileSync(join(consumer, "browser.bundle.js"), "utf8");
      // A page on its own origin (another port), so the calls to the kit are cross-origin: CORS, and the
      // Origin check of WebSocket upgrades. A loopback origin, so it is a secure context.
      const html = `<!doctype html><meta charset="utf-8"><script>${script.replace(/<\/script/g, "<\\/script")}</script>`;
      const site = createServer((_request, response) => {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
      });
      await new Promise<void>((listening) => site.listen(0, "127.0.0.1", listening));
      pageServer = site;
      await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`, { timeout: 30_000 });
      const evaluate = (expression: string) =>
        page.evaluate(
          `(${expression}).then((value) => ({ ok: true, value }), (error) => ({ ok: false, error: String(error && error.stack || error) }))`,
        ) as Promise<Outcome>;
      const asClient = await evaluate(
        `window.runClient(${JSON.stringify({ baseURL: `${openKit}/v1`, apiKey: null, websocket: true })})`,
      );
      const clientFailures = compare(asClient, [
        "create",
        "stream",
        "streamDeltas",
        "streamFinal",
        "websocket",
      ]);
      if (clientFailures.length === 0) client = "create, stream, WebSocket (cross-origin, no key)";
      failures.push(...clientFailures.map((failure) => `client: ${failure}`));
      const asServer = await evaluate("window.runHandler()");
      const serverFailures = compare(asServer, HTTP_PARTS);
      if (serverFailures.length === 0) handler = "JSON, SSE (handler in the page)";
      failures.push(...serverFailures.map((failure) => `handler: ${failure}`));
    } catch (error) {
      failures.push(String(error instanceof Error ? error.message : error));
    } finally {
      await browser.close();
      pageServer?.close();
    }
  }
  rows.push({ runtime: "Chromium", client, handler, failures });
  log(`Chromium: ${failures.length === 0 ? "ok" : "FAILED"}`);
}

// --- 6. report ------------------------------------------------------------------------------------

const width = (key: keyof Row) => Math.max(key.length, ...rows.map((row) => String(row[key]).length));
const line = (cells: string[], widths: number[]) =>
  cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ");
const widths = [width("runtime"), width("client"), width("handler")];
console.log(`\n${line(["runtime", "client", "handler"], widths)}`);
console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
for (const row of rows) console.log(line([row.runtime, row.client, row.handler], widths));
const failed = rows.filter((row) => row.failures.length > 0);
for (const row of failed) console.error(`\n${row.runtime} FAILED:\n  ${row.failures.join("\n  ")}`);
console.log(`\nruntime matrix: ${rows.length - failed.length}/${rows.length} passed in ${elapsed()}`);
// The exit handler stops the servers still running (the two kits).
process.exit(failed.length > 0 ? 1 : 0);
