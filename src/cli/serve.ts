/**
 * `openresponses serve`: the built-in model over HTTP, until SIGINT/SIGTERM. `startBuiltInServer` is
 * separate from the command so other transports (WebSocket mode) can extend what is served.
 */

import { createResponsesHandler, type RunningServer, serve } from "../server/index.js";
import { mockModel } from "../server/mock/index.js";
import { integerOption, parseCommandArgs, stringOption } from "./args.js";
import { describeError } from "./describe-error.js";
import { type CliIO, EXIT_FAILURE, EXIT_OK } from "./io.js";

export const SERVE_HELP = `Usage: openresponses serve [options]

Serves the deterministic built-in model as an Open Responses endpoint:
POST /v1/responses (JSON or SSE), POST /v1/responses/compact, and WebSocket mode on
ws://<host>:<port>/v1/responses (needs the "ws" package). Stops on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port <n>        Port to listen on; 0 picks a free one (default 8080).
  --host <host>     Interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface).
  --api-key <key>   Require this key ("Authorization: Bearer <key>"); other requests get 401.
  --delay <ms>      Pause between the model's parts, to watch it stream (default 0).
  -h, --help        Show this help.

Example:
  openresponses serve --port 8080
  OPENRESPONSES_BASE_URL=http://127.0.0.1:8080/v1 openresponses chat "hello"`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "api-key": { type: "string" },
  delay: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export interface BuiltInServerOptions {
  port: number;
  host: string;
  apiKey?: string;
  delayMs?: number;
}

/** Starts the built-in model on Node's HTTP server. */
export async function startBuiltInServer(options: BuiltInServerOptions): Promise<RunningServer> {
  const handler = createResponsesHandler({
    model: mockModel({ delayMs: options.delayMs ?? 0 }),
    apiKey: options.apiKey,
  });
  return serve({ handler, port: options.port, host: options.host });
}

function listenError(error: unknown, host: string, port: number): string {
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") return `Port ${port} is already in use on ${host}; choose another with --port.`;
  if (code === "EACCES") return `Not allowed to listen on ${host}:${port}; try a port above 1024.`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
    return `Cannot listen on host "${host}": no such address.`;
  return describeError(error, `${host}:${port}`);
}

export async function runServe(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS);
  if (values.help) {
    io.stdout.write(`${SERVE_HELP}\n`);
    return EXIT_OK;
  }
  const port = integerOption(values, "port", 8080, 0, 65535);
  const host = stringOption(values, "host") ?? "127.0.0.1";
  const apiKey = stringOption(values, "api-key");
  const delayMs = integerOption(values, "delay", 0, 0, 10_000);

  let server: RunningServer;
  try {
    server = await startBuiltInServer({ port, host, apiKey, delayMs });
  } catch (error) {
    io.stderr.write(`openresponses: ${listenError(error, host, port)}\n`);
    return EXIT_FAILURE;
  }
  io.stdout.write(`Serving the built-in model at ${server.url}/v1\n`);
  io.stdout.write(`  WebSocket mode: ${server.url.replace(/^http/, "ws")}/v1/responses\n`);
  io.stdout.write(`  try: OPENRESPONSES_BASE_URL=${server.url}/v1 openresponses chat "hello"\n`);
  if (apiKey) io.stdout.write("  requests must send the API key given with --api-key\n");
  io.stdout.write("Press Ctrl-C to stop.\n");

  await new Promise<void>((resolve) => {
    const stop = io.onStop(() => {
      stop();
      resolve();
    });
  });
  await server.close();
  io.stdout.write("Stopped.\n");
  return EXIT_OK;
}
