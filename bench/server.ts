/**
 * `npm run bench` (server half), three figures:
 *   1. events/s written by the event writer + SSE encoder, in process (no socket);
 *   2. events/s over loopback: `serve()` → node:http → a reader that counts SSE events;
 *   3. how many concurrent streaming requests `serve()` holds on 127.0.0.1, with a slow model that
 *      yields a delta every 100 ms, and the process's RSS before, during (peak) and after.
 *
 * Environment: BENCH_SERVER_DELTAS (default 100000), BENCH_STREAMS (default 1000),
 * BENCH_STREAM_SECONDS (how long each slow stream lasts, default 10). The whole run is bounded (~1 min).
 */

import { Agent, request } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createResponsesHandler, encodeSSE, serve } from "../src/server/index.js";
import type { ModelPart, ModelRequest } from "../src/server/model.js";

const DELTAS = Number(process.env.BENCH_SERVER_DELTAS ?? 100_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const STREAM_SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 10);
const TICK_MS = 100;
const HARD_LIMIT_MS = 40_000;

// `npm run bench` runs without --expose-gc; enabling it here lets "after" show memory actually freed.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000).toLocaleString("en-US")}/s`;

/** A fast model: `DELTAS` text deltas of a few words each. */
function* fastModel(): Generator<ModelPart> {
  for (let i = 0; i < DELTAS; i++) yield { type: "text", delta: `word${i % 97} ` };
}

async function inProcess(): Promise<void> {
  const handler = createResponsesHandler({ model: fastModel });
  const run = await handler.engine.run({ input: "bench", stream: true });
  if (!run.ok) throw new Error(run.error.error.message);
  const started = performance.now();
  const reader = encodeSSE(run.events).getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  const ms = performance.now() - started;
  const events = DELTAS + 9; // created, in_progress, item added/done, part added/done, text done, terminal
  console.log(
    `  writer + SSE encoder, in process: ${rate(events, ms)} events (${mb(bytes)} in ${ms.toFixed(0)} ms)`,
  );
}

async function overLoopback(): Promise<void> {
  const server = await serve({ handler: createResponsesHandler({ model: fastModel }), port: 0 });
  try {
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: "bench", stream: true }),
    });
    const reader = response.body!.getReader();
    let events = 0;
    let tail = "";
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = tail + decoder.decode(value, { stream: true });
      const blocks = text.split("\n\n");
      tail = blocks.pop() ?? "";
      events += blocks.length;
    }
    const ms = performance.now() - started;
    console.log(
      `  serve() over loopback:            ${rate(events, ms)} events (${events} SSE events in ${ms.toFixed(0)} ms)`,
    );
  } finally {
    await server.close();
  }
}

/** Yields a delta every 100 ms for STREAM_SECONDS, stopping early when the client goes away. */
async function* slowModel(req: ModelRequest): AsyncGenerator<ModelPart> {
  const ticks = Math.round((STREAM_SECONDS * 1000) / TICK_MS);
  for (let i = 0; i < ticks && !req.signal.aborted; i++) {
    yield { type: "text", delta: `tick${i} ` };
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
}

async function concurrency(): Promise<void> {
  gc();
  const before = process.memoryUsage();
  const server = await serve({ handler: createResponsesHandler({ model: slowModel }), port: 0 });
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  let open = 0;
  let peakOpen = 0;
  let completed = 0;
  let failed = 0;
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 100);
  const body = JSON.stringify({ input: "bench", stream: true });
  const started = performance.now();

  const one = () =>
    new Promise<void>((resolve) => {
      const req = request(
        `${server.url}/v1/responses`,
        { method: "POST", agent, headers: { "content-type": "application/json" } },
        (res) => {
          open += 1;
          peakOpen = Math.max(peakOpen, open);
          let sawDone = false;
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            if (chunk.includes("[DONE]")) sawDone = true;
          });
          res.on("end", () => {
            open -= 1;
            if (sawDone && res.statusCode === 200) completed += 1;
            else failed += 1;
            resolve();
          });
          // Only reached when the time limit destroys the agent; those streams count as unfinished.
          res.on("error", () => {
            open -= 1;
            resolve();
          });
        },
      );
      req.on("error", () => {
        if (!settledByLimit) failed += 1;
        resolve();
      });
      req.end(body);
    });

  let settledByLimit = false;
  const all = Promise.all(Array.from({ length: STREAMS }, one));
  const hitLimit = await Promise.race([
    all.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), HARD_LIMIT_MS).unref()),
  ]);
  clearInterval(sampler);
  const unfinished = STREAMS - completed - failed;
  settledByLimit = true;
  agent.destroy();
  await server.close();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const after = process.memoryUsage();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `  concurrent streams on 127.0.0.1:      ${peakOpen} open at once (target ≥ 500); ${completed}/${STREAMS} completed, ${failed} failed, ${unfinished} still streaming${hitLimit ? ` at the ${HARD_LIMIT_MS / 1000} s limit (a busy machine)` : ""}, in ${seconds} s`,
  );
  console.log(`    (each stream: a delta every ${TICK_MS} ms for ${STREAM_SECONDS} s)`);
  const perStream = (bytes: number) =>
    `${(bytes / 1024 / Math.max(peakOpen, 1)).toFixed(0)} KB per open stream`;
  console.log(
    `    RSS  before ${mb(before.rss)}, peak during ${mb(peakRss)} (${perStream(peakRss - before.rss)}), after ${mb(after.rss)}`,
  );
  console.log(
    `    heap before ${mb(before.heapUsed)}, peak during ${mb(peakHeap)} (${perStream(peakHeap - before.heapUsed)}), after ${mb(after.heapUsed)}`,
  );
}

console.log("server kit");
await inProcess();
await overLoopback();
await concurrency();
