/**
 * `npm run bench` (bridge half): what `openresponses serve --upstream chat:` adds in front of a Chat
 * Completions server, in one run, against a local upstream that streams pre-encoded chunks as fast as
 * the socket takes them:
 *   1. time to first byte: the upstream asked directly, and through the bridge (median and p90 of
 *      sequential streaming requests on kept-alive connections);
 *   2. CPU per event: the process's CPU time (upstream, bridge and a reader that only counts bytes all
 *      run here) per upstream chunk when asked directly, per emitted event through the bridge; the
 *      difference is the bridge's cost per event.
 *
 * Environment: BENCH_BRIDGE_REQUESTS (TTFB samples, default 200), BENCH_BRIDGE_CHUNKS (chunks per
 * stream for CPU, default 5000), BENCH_BRIDGE_STREAMS (streams for CPU, default 20).
 */

import { Agent, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { startBuiltInServer } from "../src/cli/serve.js";
import { upstreamFromArgs } from "../src/cli/upstream.js";

const SAMPLES = Number(process.env.BENCH_BRIDGE_REQUESTS ?? 200);
const CHUNKS = Number(process.env.BENCH_BRIDGE_CHUNKS ?? 5000);
const STREAMS = Number(process.env.BENCH_BRIDGE_STREAMS ?? 20);

const encoder = new TextEncoder();
const chunkOf = (delta: object, finish: string | null = null) =>
  encoder.encode(
    `data: ${JSON.stringify({
      id: "chatcmpl-bench",
      object: "chat.completion.chunk",
      created: 1_700_000_000,
      model: "bench",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    })}\n\n`,
  );

/** A Chat Completions stream of `count` content chunks, encoded once. */
function streamBytes(count: number): Uint8Array[] {
  const parts = [chunkOf({ role: "assistant", content: "" })];
  for (let i = 0; i < count; i++) parts.push(chunkOf({ content: `word${i % 97} ` }));
  parts.push(chunkOf({}, "stop"), encoder.encode("data: [DONE]\n\n"));
  return parts;
}

async function startUpstream(): Promise<{ url: string; close(): Promise<void>; setChunks(n: number): void }> {
  let body = streamBytes(8);
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const part of body) res.write(part);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setChunks: (n) => {
      body = streamBytes(n);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** POSTs `body`; resolves with the ms to the first body byte and the bytes read. */
function post(url: string, body: object): Promise<{ ttfb: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let ttfb = -1;
    let bytes = 0;
    const payload = JSON.stringify(body);
    const req = httpRequest(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        res.on("data", (chunk: Buffer) => {
          if (ttfb < 0) ttfb = performance.now() - started;
          bytes += chunk.length;
        });
        res.on("end", () => resolve({ ttfb, bytes }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

async function main(): Promise<void> {
  const upstream = await startUpstream();
  const resolved = upstreamFromArgs({ upstream: `chat:${upstream.url}/v1` }, {});
  if (resolved === undefined) throw new Error("no upstream");
  const bridge = await startBuiltInServer({ port: 0, host: "127.0.0.1", model: resolved.model });
  const direct = {
    url: `${upstream.url}/v1/chat/completions`,
    body: { model: "bench", messages: [{ role: "user", content: "hi" }], stream: true },
  };
  const through = {
    url: `${bridge.url}/v1/responses`,
    body: { model: "bench", input: "hi", stream: true, store: false },
  };
  try {
    console.log("\nBridge overhead (serve --upstream chat: in front of a local Chat Completions upstream)");
    // Warm both paths (JIT, connections).
    for (let i = 0; i < 50; i++) {
      await post(direct.url, direct.body);
      await post(through.url, through.body);
    }
    const ttfbDirect: number[] = [];
    const ttfbBridge: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      ttfbDirect.push((await post(direct.url, direct.body)).ttfb);
      ttfbBridge.push((await post(through.url, through.body)).ttfb);
    }
    const fmt = (values: number[]) =>
      `median ${quantile(values, 0.5).toFixed(2)} ms, p90 ${quantile(values, 0.9).toFixed(2)} ms`;
    console.log(`  time to first byte, upstream directly: ${fmt(ttfbDirect)} (${SAMPLES} requests)`);
    console.log(`  time to first byte, through the bridge: ${fmt(ttfbBridge)}`);

    upstream.setChunks(CHUNKS);
    const cpu = async (target: { url: string; body: object }) => {
      await post(target.url, target.body);
      const before = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < STREAMS; i++) await post(target.url, target.body);
      const used = process.cpuUsage(before);
      return { micros: used.user + used.system, ms: performance.now() - started };
    };
    const directRun = await cpu(direct);
    const bridgeRun = await cpu(through);
    // Direct: one event per upstream chunk. Bridge: one output_text.delta per chunk plus 9 lifecycle events.
    const directEvents = STREAMS * (CHUNKS + 3);
    const bridgeEvents = STREAMS * (CHUNKS + 9);
    const perDirect = directRun.micros / directEvents;
    const perBridge = bridgeRun.micros / bridgeEvents;
    console.log(
      `  CPU per event, upstream directly: ${perDirect.toFixed(2)} µs (${STREAMS} streams of ${CHUNKS} chunks, ${directRun.ms.toFixed(0)} ms)`,
    );
    console.log(
      `  CPU per event, through the bridge: ${perBridge.toFixed(2)} µs (${bridgeRun.ms.toFixed(0)} ms): the bridge adds ${(perBridge - perDirect).toFixed(2)} µs per event`,
    );
  } finally {
    agent.destroy();
    await bridge.close();
    await upstream.close();
  }
}

await main();
