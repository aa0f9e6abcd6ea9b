/**
 * `openresponses serve`: the built-in model, a provider through a bridge (`--upstream`, `--route`), or a
 * local GGUF model (`--model-file`), over HTTP and WebSocket until SIGINT/SIGTERM, with a one-line access
 * log per request (serve-log.ts) unless `--quiet`. `startBuiltInServer` is separate from the command so
 * tests and other transports can start the same server.
 */

import type { Server } from "node:http";
import {
  createResponsesHandler,
  type Dialect,
  type KitErrorPhase,
  type RunningServer,
  type ServeWebSocketOptions,
  serve,
} from "../server/index.js";
import { DIALECTS } from "../server/kit/dialect.js";
import { mockModel } from "../server/mock/index.js";
import type { Model, ResponseStore } from "../server/model.js";
import { integerOption, parseCommandArgs, stringOption, UsageError } from "./args.js";
import { describeError } from "./describe-error.js";
import { type CliIO, EXIT_FAILURE, EXIT_OK } from "./io.js";
import {
  describeModel,
  loadModelFile,
  MODEL_FILE_HELP,
  MODEL_FILE_OPTIONS,
  modelFileFromFlags,
} from "./model-file.js";
import { apiKeyFrom } from "./serve-key.js";
import { logRequests } from "./serve-log.js";
import { type OpenedStore, openStore, parseStoreSpec, StoreOpenError } from "./store-url.js";
import { styleFor } from "./style.js";
import { UPSTREAM_HELP, UPSTREAM_OPTIONS, upstreamFromArgs } from "./upstream.js";

export const SERVE_HELP = `Usage: openresponses serve [options]

Serves the deterministic built-in model, a provider (--upstream), or a local GGUF model
(--model-file), as an Open Responses endpoint:
POST /v1/responses (JSON or SSE), POST /v1/responses/compact, the stored-response
extensions GET/DELETE /v1/responses/{id} and GET /v1/responses/{id}/input_items, and WebSocket mode on
ws://<host>:<port>/v1/responses (needs the "ws" package). Stops on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port <n>        Port to listen on; 0 picks a free one (default: env PORT, else 8080).
  --host <host>     Interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface).
  --allowed-hosts <names>
                    Comma-separated host names this server is reached by, for browser pages
                    (HTTP and WebSocket; IP addresses and localhost always pass).
  --api-key <key>   Require this key ("Authorization: Bearer <key>"); other requests get 401.
                    Every local user can read it in the process list: prefer the next two.
  --api-key-env <name>
                    Require the key held by the environment variable <name>.
  --api-key-file <path>
                    Require the key on the first line of <path>.
  --quiet           No access log (by default one line per request: method, path, status, time).
  --delay <ms>      Built-in model only: pause between its parts, to watch it stream (default 0).
${UPSTREAM_HELP}
${MODEL_FILE_HELP}
  --cors [origin]   Let pages on other origins call it (HTTP and WebSocket): any origin, or only
                    the given ones (https://app.example; repeat the flag or separate with commas).
  --store <url>     Where responses are kept, shared by every server given the same URL:
                    redis://[:password@]host[:port][/db] or rediss://… (needs the packages
                    unstorage and ioredis), file:<dir> or a directory (needs unstorage),
                    memory: (the default: this process only, lost on exit).
  --store-ttl <s>   How long a stored response is kept, in seconds (default 2592000, 30 days).
  --dialect <name>  Event names to stream: spec (default, the specification's) or openai
                    (reasoning text as response.reasoning_text.delta/.done, for the openai
                    SDK's stream() helper and the AI SDK's open-responses provider).
  --ws-idle-timeout <s>
                    End a WebSocket connection idle this long, in seconds (default 300).
  --ws-max-connections <n>
                    WebSocket connections open at once, at most (default 1000).
  -h, --help        Show this help.

Example:
  openresponses serve --port 8080
  openresponses serve --port 8081 --store redis://127.0.0.1:6379   # replicas share conversations
  openresponses serve --upstream chat:http://127.0.0.1:11434/v1      # Ollama behind the full API
  OPENRESPONSES_UPSTREAM_API_KEY=sk-ant-… openresponses serve --upstream anthropic
  openresponses serve --model-file ./Llama-3.2-1B-Instruct-Q4_K_M.gguf    # a local model
  OPENRESPONSES_BASE_URL=http://127.0.0.1:8080/v1 openresponses chat "hello"`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "allowed-hosts": { type: "string" },
  "api-key": { type: "string" },
  "api-key-env": { type: "string" },
  "api-key-file": { type: "string" },
  quiet: { type: "boolean" },
  delay: { type: "string" },
  cors: { type: "string", multiple: true },
  store: { type: "string" },
  "store-ttl": { type: "string" },
  dialect: { type: "string" },
  "ws-idle-timeout": { type: "string" },
  "ws-max-connections": { type: "string" },
  help: { type: "boolean", short: "h" },
  ...UPSTREAM_OPTIONS,
  ...MODEL_FILE_OPTIONS,
} as const;

export interface BuiltInServerOptions {
  port: number;
  host: string;
  /** Host names for browser pages, HTTP and WebSocket (see `serve`'s `allowedHosts`). */
  allowedHosts?: readonly string[];
  apiKey?: string;
  delayMs?: number;
  /** The model to serve; default the built-in one (with `delayMs`). */
  model?: Model;
  /** Origins whose pages may call the server (`"*"`: any); off when absent. */
  cors?: string[];
  /** Where responses are kept; default the kit's in-memory store. */
  store?: ResponseStore;
  /** Told about failures the kit absorbs (a store that is down, for one). */
  onError?: (error: unknown, phase: KitErrorPhase) => void;
  /** The event names to stream (default the specification's). */
  dialect?: Dialect;
  /** WebSocket mode's limits (idle timeout, connection cap). */
  websocket?: ServeWebSocketOptions;
}

/** Starts the built-in model on Node's HTTP server. */
export async function startBuiltInServer(options: BuiltInServerOptions): Promise<RunningServer> {
  const handler = createResponsesHandler({
    model: options.model ?? mockModel({ delayMs: options.delayMs ?? 0 }),
    apiKey: options.apiKey,
    ...(options.cors === undefined ? {} : { cors: { origin: options.cors } }),
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
    ...(options.dialect === undefined ? {} : { dialect: options.dialect }),
  });
  return serve({
    handler,
    port: options.port,
    host: options.host,
    ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }),
    ...(options.websocket === undefined ? {} : { websocket: options.websocket }),
  });
}

function listenError(error: unknown, host: string, port: number): string {
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") return `Port ${port} is already in use on ${host}; choose another with --port.`;
  if (code === "EACCES") return `Not allowed to listen on ${host}:${port}; try a port above 1024.`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
    return `Cannot listen on host "${host}": no such address.`;
  return describeError(error, `${host}:${port}`);
}

/** `--cors` takes an optional value: alone (or before another flag) it means any origin. */
function withCorsDefault(argv: string[]): string[] {
  return argv.map((arg, index) => {
    const next = argv[index + 1];
    return arg === "--cors" && (next === undefined || next.startsWith("-")) ? "--cors=*" : arg;
  });
}

/** The origins `--cors` gave: `*`, or each an origin exactly (scheme, host, optional port; no path). */
function corsOrigins(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const origins = values
    .flatMap((value) => value.split(","))
    .map((value) => value.trim().replace(/\/+$/, ""));
  for (const origin of origins) {
    if (origin === "*") continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new UsageError(
        `--cors takes "*" or an origin such as https://app.example (scheme and host, no path); got "${origin}".`,
      );
    }
  }
  return origins.includes("*") ? ["*"] : origins;
}

export async function runServe(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(withCorsDefault(argv), OPTIONS);
  if (values.help) {
    io.stdout.write(`${SERVE_HELP}\n`);
    return EXIT_OK;
  }
  const port = portOption(values, io.env);
  const host = stringOption(values, "host") ?? "127.0.0.1";
  const allowedHosts = stringOption(values, "allowed-hosts")
    ?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const { apiKey, warning } = apiKeyFrom(values, io.env);
  if (warning) io.stderr.write(`openresponses serve: ${warning}\n`);
  const delayMs = integerOption(values, "delay", 0, 0, 10_000);
  const upstream = upstreamFromArgs(values, io.env);
  if (upstream !== undefined && values.delay !== undefined) {
    throw new UsageError("--delay applies to the built-in model only, not to --upstream.");
  }
  if (upstream !== undefined && values["model-file"] !== undefined) {
    throw new UsageError(
      "--upstream (or --route) and --model-file each name the model to serve: give one of them.",
    );
  }
  const local = modelFileFromFlags(values);
  if (local !== undefined && values.delay !== undefined) {
    throw new UsageError("--delay applies to the built-in model only, not to --model-file.");
  }
  const cors = corsOrigins(values.cors as string[] | undefined);
  const dialect = stringOption(values, "dialect") ?? "spec";
  if (!DIALECTS.includes(dialect as Dialect)) {
    throw new UsageError(`--dialect must be one of: ${DIALECTS.join(", ")} (got "${dialect}").`);
  }
  const websocket: ServeWebSocketOptions = {};
  if (values["ws-idle-timeout"] !== undefined)
    websocket.idleTimeoutMs = integerOption(values, "ws-idle-timeout", 300, 1, 86_400) * 1000;
  if (values["ws-max-connections"] !== undefined)
    websocket.maxConnections = integerOption(values, "ws-max-connections", 1000, 1, 1_000_000);
  const storeValue = stringOption(values, "store");
  const storeSpec = storeValue === undefined ? undefined : parseStoreSpec(storeValue, process.cwd());
  const ttlSeconds =
    values["store-ttl"] === undefined ? undefined : integerOption(values, "store-ttl", 0, 1, 2 ** 31);

  // Loaded before anything listens: a wrong path or a missing package is one line at startup.
  let served = upstream?.description ?? "the built-in model";
  let modelLine: string | undefined;
  if (local !== undefined) {
    io.stdout.write(`Loading ${stringOption(values, "model-file")} ...\n`);
    const loaded = await loadModelFile(local, "serve");
    if ("error" in loaded) {
      io.stderr.write(`openresponses: ${loaded.error}\n`);
      return EXIT_FAILURE;
    }
    served = `${loaded.info.name} (llama.cpp)`;
    modelLine = describeModel(loaded.info);
  }

  let opened: OpenedStore | undefined;
  if (storeSpec !== undefined) {
    try {
      opened = await openStore(storeSpec, {
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
        onStatus: (message) => io.stderr.write(`openresponses serve: ${message}\n`),
      });
    } catch (error) {
      await local?.close();
      if (!(error instanceof StoreOpenError)) throw error;
      io.stderr.write(`openresponses: ${error.message}\n`);
      return EXIT_FAILURE;
    }
  }

  let server: RunningServer;
  try {
    server = await startBuiltInServer({
      port,
      host,
      ...(allowedHosts === undefined ? {} : { allowedHosts }),
      apiKey,
      delayMs,
      ...(upstream === undefined ? {} : { model: upstream.model }),
      ...(local === undefined ? {} : { model: local }),
      ...(cors === undefined ? {} : { cors }),
      dialect: dialect as Dialect,
      websocket,
      ...(opened === undefined ? {} : { store: opened.store }),
      onError: failureLog(io),
    });
  } catch (error) {
    await opened?.close();
    await local?.close();
    io.stderr.write(`openresponses: ${listenError(error, host, port)}\n`);
    return EXIT_FAILURE;
  }
  if (values.quiet !== true) {
    const style = styleFor(io.stdout, io.env);
    logRequests(server.server as unknown as Server, (line) => io.stdout.write(`${line}\n`), style);
  }
  io.stdout.write(`Serving ${served} at ${server.url}/v1\n`);
  if (modelLine !== undefined) io.stdout.write(`  ${modelLine}\n`);
  io.stdout.write(`  WebSocket mode: ${server.url.replace(/^http/, "ws")}/v1/responses\n`);
  io.stdout.write(`  try: OPENRESPONSES_BASE_URL=${server.url}/v1 openresponses chat "hello"\n`);
  if (apiKey) io.stdout.write("  requests must send the API key (Authorization: Bearer <key>)\n");
  if (cors !== undefined) {
    const who = cors.includes("*") ? "pages on any origin" : `pages on ${cors.join(", ")}`;
    io.stdout.write(`  CORS: ${who} may call it (HTTP and WebSocket)\n`);
  }
  if (dialect !== "spec") io.stdout.write(`  events use the ${dialect} dialect (--dialect)\n`);
  if (opened !== undefined) io.stdout.write(`  responses are stored in ${opened.description}\n`);
  io.stdout.write("Press Ctrl-C to stop.\n");

  await new Promise<void>((resolve) => {
    const stop = io.onStop(() => {
      stop();
      resolve();
    });
  });
  await server.close();
  await opened?.close();
  await local?.close();
  io.stdout.write("Stopped.\n");
  return EXIT_OK;
}

/** `--port`, else the `PORT` variable (as platforms that assign the port set it), else 8080. */
function portOption(values: Record<string, string | boolean | undefined>, env: CliIO["env"]): number {
  if (values.port !== undefined || !env.PORT?.trim()) return integerOption(values, "port", 8080, 0, 65535);
  const raw = env.PORT.trim();
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new UsageError(`PORT must be an integer from 0 to 65535 (got "${raw}"); or pass --port.`);
  }
  return port;
}

/**
 * Failures the kit absorbs, one line each: a store that fails (at most every ten seconds, since a down
 * store fails every turn) and a model that fails (an upstream's error; at most one line a second).
 * Messages are already redacted: no key reaches the log.
 */
function failureLog(io: CliIO): (error: unknown, phase: KitErrorPhase) => void {
  const last: Partial<Record<KitErrorPhase, number>> = {};
  return (error, phase) => {
    const gap = phase === "store" ? 10_000 : 1_000;
    if (phase !== "store" && phase !== "model" && phase !== "compact") return;
    // A refusal or another 4xx was the caller's to fix, and the caller was told.
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status < 500) return;
    if (Date.now() - (last[phase] ?? Number.NEGATIVE_INFINITY) < gap) return;
    last[phase] = Date.now();
    const what = phase === "store" ? "a response could not be stored" : "the model failed";
    io.stderr.write(`openresponses serve: ${what}: ${describeError(error, undefined)}\n`);
  };
}
