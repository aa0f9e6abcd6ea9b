/**
 * A server runner of the kit comparisons, in a process of its own (started by bench/harness/child.ts):
 *   kit  <server module> — `serve()` + `createResponsesHandler` from that module (this tree's server
 *                          entry bundled, or another checkout's, to compare two versions);
 *   bare <recording>     — plain `node:http` sending the bytes the kit sent (bench/kit/workload.ts):
 *                          one `write` per SSE event, one `end` per JSON answer.
 * Besides `cpu` and `memory`, it answers `connections` (sockets open now).
 */

import { readFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { pathToFileURL } from "node:url";
import { serveCalls } from "../harness/child.js";
import { benchModel, IDLE_INPUT, type Recording, SSE_INPUT } from "./workload.js";

type KitEntry = typeof import("../../src/server/index.js");

const [kind, source] = process.argv.slice(2);

function countConnections(server: Server): () => number {
  const open = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  return () => open.size;
}

async function startKit(entry: string): Promise<{ port: number; server: Server }> {
  const kit = (await import(pathToFileURL(entry).href)) as KitEntry;
  const handler = kit.createResponsesHandler({ model: benchModel(kit.mockModel()) });
  const running = await kit.serve({ handler, port: 0, websocket: false });
  return { port: running.port, server: running.server as unknown as Server };
}

async function startBare(file: string): Promise<{ port: number; server: Server }> {
  const recording = JSON.parse(readFileSync(file, "utf8")) as Recording;
  const sse = recording.sse.map((event) => Buffer.from(event, "utf8"));
  const idle = recording.idle.map((event) => Buffer.from(event, "utf8"));
  const json = Buffer.from(recording.json, "utf8");
  const sseHeaders = { "content-type": recording.sseType, "cache-control": "no-cache" };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      // A server reads what it was asked, even one that answers from memory.
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { input?: unknown };
      if (body.input === SSE_INPUT) {
        res.writeHead(200, sseHeaders);
        writeEvents(res, sse, true);
      } else if (body.input === IDLE_INPUT) {
        res.writeHead(200, sseHeaders);
        writeEvents(res, idle, false);
      } else {
        if (SPIN_MS > 0) spin();
        // With its length, as the kit sends a whole answer: one write, no chunk framing.
        res.writeHead(200, { "content-type": recording.jsonType, "content-length": json.length });
        res.end(json);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

/**
 * `BENCH_BARE_SPIN_US`: microseconds the bare server spins before each JSON answer (0, the default: none),
 * making it as slow as the kit with the same socket work, to tell what the kernel's time per turn owes
 * to the server's speed from what it owes to how the server uses its sockets.
 */
const SPIN_MS = Number(process.env.BENCH_BARE_SPIN_US ?? 0) / 1000;

/** Busy-waits SPIN_MS of wall time, with no system call (`performance.now` reads the clock in user space). */
function spin(): void {
  const until = performance.now() + SPIN_MS;
  while (performance.now() < until) {
    // spinning
  }
}

/** One `write` per event, waiting for `drain` when the socket's buffer is full. */
function writeEvents(res: ServerResponse, events: Buffer[], end: boolean): void {
  let next = 0;
  const more = () => {
    while (next < events.length) {
      if (!res.write(events[next++]!)) {
        res.once("drain", more);
        return;
      }
    }
    if (end) res.end();
  };
  more();
}

if (kind !== "kit" && kind !== "bare") throw new Error(`unknown runner kind ${kind}`);
if (source === undefined) throw new Error("the runner needs its source (server entry or recording)");
const { port, server } = kind === "kit" ? await startKit(source) : await startBare(source);
const connections = countConnections(server);
serveCalls(port, { connections });
