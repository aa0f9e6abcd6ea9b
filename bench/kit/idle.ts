/**
 * Memory per idle open stream: STREAMS streams that have sent their first delta and wait (a model
 * waiting on its provider), held by the kit and by a bare node:http server that wrote the same bytes
 * (issue goal: ≤ 1.5×). Each measurement uses a fresh server process: memory is read after two full
 * collections before the streams open, while they are open, and after they have all closed (what the
 * process kept, which a long-running server never gets back otherwise).
 */

import { connect, type Socket } from "node:net";
import type { Child } from "../harness/child.js";
import type { Comparison } from "../harness/comparison.js";
import { postRequest } from "../harness/raw-http.js";
import { BASELINE, describeRunners, RUNNERS, startRunner } from "./runners.js";
import { idleBody } from "./workload.js";

const STREAMS = Number(process.env.BENCH_IDLE_STREAMS ?? 5000);
/** Connections being opened at once: more would overflow the listen backlog on a busy machine. */
const OPENING = 100;
const OPEN_TIMEOUT_MS = 120_000;
const request = postRequest("/v1/responses", idleBody);
const FIRST_DELTA = "response.output_text.delta";

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Opens one stream and resolves with its socket once its first delta has arrived. */
function openStream(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      if (!seen.includes(FIRST_DELTA)) return;
      socket.off("data", onData);
      // Keep reading (and dropping) whatever comes later, as a client would.
      socket.on("data", () => {});
      resolve(socket);
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.once("close", () => reject(new Error("an idle stream closed before its first delta")));
  });
}

async function openStreams(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  let next = 0;
  const deadline = performance.now() + OPEN_TIMEOUT_MS;
  const worker = async () => {
    while (next < count) {
      next++;
      if (performance.now() > deadline) throw new Error(`opening ${count} streams took too long`);
      const socket = await openStream(port);
      socket.removeAllListeners("close");
      socket.removeAllListeners("error");
      socket.on("error", () => {});
      sockets.push(socket);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(OPENING, count) }, worker));
  } catch (error) {
    for (const socket of sockets) socket.destroy();
    throw error;
  }
  return sockets;
}

async function waitForNoConnections(child: Child): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await child.call<number>("connections")) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the server still had connections 30 s after the clients closed them");
}

const perStream = (after: number, before: number) => (after - before) / STREAMS / 1024;

export const idleComparison: Comparison = {
  id: "kit-idle",
  title: "memory per idle open stream",
  describe: () => [
    `${STREAMS.toLocaleString("en-US")} streams open at once, each after its first delta; KB per stream, settled (after full GCs); a fresh server process each time`,
    ...describeRunners(),
  ],
  runners: RUNNERS,
  baseline: BASELINE,
  rounds: Number(process.env.BENCH_IDLE_ROUNDS ?? 3),
  figures: [
    { key: "RSS KB/stream", better: "lower", goal: 1.5 },
    { key: "heap KB/stream", better: "lower" },
    { key: "RSS kept KB/stream", better: "lower" },
    { key: "heap kept KB/stream", better: "lower" },
  ],
  async start() {
    return {
      async measure(runner) {
        const child = await startRunner(runner);
        try {
          // Warm-up: the code paths of opening and closing a stream, compiled before the baseline.
          for (const socket of await openStreams(child.port, 50)) socket.destroy();
          await waitForNoConnections(child);
          const before = await child.call<Memory>("memory");
          const sockets = await openStreams(child.port, STREAMS);
          const open = await child.call<Memory>("memory");
          for (const socket of sockets) socket.destroy();
          await waitForNoConnections(child);
          const after = await child.call<Memory>("memory");
          return {
            "RSS KB/stream": perStream(open.rss, before.rss),
            "heap KB/stream": perStream(open.heapUsed, before.heapUsed),
            "RSS kept KB/stream": perStream(after.rss, before.rss),
            "heap kept KB/stream": perStream(after.heapUsed, before.heapUsed),
          };
        } finally {
          await child.close();
        }
      },
      async close() {},
    };
  },
};
