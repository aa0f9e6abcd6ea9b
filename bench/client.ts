/**
 * `npm run bench` (client half): serves a 100,000-delta stream on loopback and measures, in one run,
 *   ours   — `client.responses.stream()` + `finalResponse()` of this package,
 *   openai — the `openai` SDK's `client.responses.stream()` helper + `finalResponse()`,
 *   bare   — fetch + TextDecoder + line split + JSON.parse, the floor any parser pays.
 * Each measurement runs in a fresh child process (so peak memory is its own), contenders alternate over
 * several rounds, and the median is reported with the ratios ours/bare and ours/openai.
 *
 * Environment: BENCH_DELTAS (default 100000), BENCH_ROUNDS (default 5).
 */

import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { buildBenchStream } from "./client-stream.js";

type Contender = "ours" | "openai" | "bare";
const CONTENDERS: Contender[] = ["ours", "openai", "bare"];

interface Measurement {
  contender: Contender;
  events: number;
  ms: number;
  /** CPU time (user + system) the client process spent on the request. */
  cpuMs: number;
  peakRssMB: number;
  peakHeapMB: number;
  textLength: number;
}

const DELTAS = Number(process.env.BENCH_DELTAS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MODEL = "bench-model";

// ── Worker side: one contender, one measured request ────────────────────────────────────────────────

async function runContender(
  contender: Contender,
  baseURL: string,
): Promise<{ events: number; textLength: number }> {
  if (contender === "ours") {
    const { OpenResponses } = await import("../src/client/index.js");
    const client = new OpenResponses({ baseURL, apiKey: "bench-key", maxRetries: 0 });
    const stream = await client.responses.stream({ model: MODEL, input: "bench" });
    const final = await stream.finalResponse();
    // Every event went through the decoder, parser, protocol checker and accumulator.
    if (stream.violations.length > 0)
      throw new Error(`unexpected violations: ${stream.violations[0]?.message}`);
    return { events: stream.eventCount, textLength: outputTextLength(final.output) };
  }
  if (contender === "openai") {
    const { default: OpenAI } = await import("openai");
    const client = new OpenAI({ baseURL, apiKey: "bench-key", maxRetries: 0 });
    const stream = client.responses.stream({ model: MODEL, input: "bench" });
    let events = 0;
    // The helper has no event counter; a listener is the lightest way to check it saw every event.
    stream.on("event", () => {
      events += 1;
    });
    const final = await stream.finalResponse();
    return { events, textLength: outputTextLength(final.output) };
  }
  const response = await fetch(`${baseURL}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer bench-key" },
    body: JSON.stringify({ model: MODEL, input: "bench", stream: true }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let events = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("data: ")) continue;
      const data = line.slice(6);
      if (data === "[DONE]") continue;
      const event = JSON.parse(data) as { type: string; delta?: string };
      events += 1;
      if (event.type === "response.output_text.delta") text += event.delta;
    }
  }
  return { events, textLength: text.length };
}

function outputTextLength(output: unknown): number {
  let length = 0;
  for (const item of output as Array<{ type?: string; content?: Array<{ type?: string; text?: string }> }>) {
    if (item.type !== "message") continue;
    for (const part of item.content ?? []) if (part.type === "output_text") length += part.text?.length ?? 0;
  }
  return length;
}

async function worker(contender: Contender, baseURL: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Two warm-up requests on a shorter stream let the JIT settle, so the measured run compares steady code.
  await runContender(contender, `${baseURL}/warmup`);
  await runContender(contender, `${baseURL}/warmup`);
  gc?.();
  const baseRss = process.memoryUsage().rss;
  const baseHeap = process.memoryUsage().heapUsed;
  let peakRss = baseRss;
  let peakHeap = baseHeap;
  const sample = () => {
    const usage = process.memoryUsage();
    if (usage.rss > peakRss) peakRss = usage.rss;
    if (usage.heapUsed > peakHeap) peakHeap = usage.heapUsed;
  };
  const timer = setInterval(sample, 10);
  const startCpu = process.cpuUsage();
  const start = performance.now();
  const result = await runContender(contender, baseURL);
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(startCpu);
  sample();
  clearInterval(timer);
  const measurement: Measurement = {
    contender,
    events: result.events,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMB: (peakRss - baseRss) / 1024 / 1024,
    peakHeapMB: (peakHeap - baseHeap) / 1024 / 1024,
    textLength: result.textLength,
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

// ── Parent side: the server, the rounds, the report ─────────────────────────────────────────────────

function measure(contender: Contender, baseURL: string): Promise<Measurement> {
  const file = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", file, "--worker", contender, baseURL],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    const timeout = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timeout);
      const line = out.trim().split("\n").pop();
      if (code !== 0 || !line) reject(new Error(`${contender} worker failed (exit ${code})`));
      else resolve(JSON.parse(line) as Measurement);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const stream = buildBenchStream(DELTAS);
  const warmup = buildBenchStream(Math.min(DELTAS, 10_000));
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const body = req.url?.startsWith("/v1/warmup") ? warmup.body : stream.body;
      res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_bench" });
      // Written in 64 KiB pieces, as a server producing tokens would, rather than one giant write.
      let offset = 0;
      const writeMore = () => {
        while (offset < body.length) {
          const end = Math.min(offset + 65_536, body.length);
          const ok = res.write(body.subarray(offset, end));
          offset = end;
          if (!ok) {
            res.once("drain", writeMore);
            return;
          }
        }
        res.end();
      };
      writeMore();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  console.log(
    `client bench: ${stream.events.toLocaleString("en")} events (${DELTAS.toLocaleString("en")} deltas, ` +
      `${(stream.body.length / 1024 / 1024).toFixed(1)} MB), ${ROUNDS} rounds, median of each`,
  );

  const results = new Map<Contender, Measurement[]>(CONTENDERS.map((c) => [c, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so no contender always runs first (or last) on a busy machine.
      const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length]!);
      for (const contender of order) {
        const m = await measure(contender, baseURL);
        if (m.events !== stream.events || m.textLength !== stream.text.length) {
          throw new Error(
            `${contender} got ${m.events} events / ${m.textLength} chars; expected ${stream.events} / ${stream.text.length}`,
          );
        }
        results.get(contender)!.push(m);
      }
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }

  const summary = new Map<
    Contender,
    { wall: number; cpu: number; ms: number; cpuMs: number; rss: number; heap: number }
  >();
  for (const contender of CONTENDERS) {
    const list = results.get(contender)!;
    const ms = median(list.map((m) => m.ms));
    const cpuMs = median(list.map((m) => m.cpuMs));
    summary.set(contender, {
      ms,
      cpuMs,
      wall: stream.events / (ms / 1000),
      cpu: stream.events / (cpuMs / 1000),
      rss: median(list.map((m) => m.peakRssMB)),
      heap: median(list.map((m) => m.peakHeapMB)),
    });
  }
  const columns = ["events/s", "wall ms", "events/CPU-s", "CPU ms", "peak RSS +MB", "peak heap +MB"];
  console.log(`${"".padEnd(8)}${columns.map((c) => c.padStart(14)).join("")}`);
  for (const contender of CONTENDERS) {
    const x = summary.get(contender)!;
    const cells = [
      Math.round(x.wall).toLocaleString("en"),
      x.ms.toFixed(0),
      Math.round(x.cpu).toLocaleString("en"),
      x.cpuMs.toFixed(0),
      x.rss.toFixed(1),
      x.heap.toFixed(1),
    ];
    console.log(`${contender.padEnd(8)}${cells.map((c) => c.padStart(14)).join("")}`);
  }
  const ours = summary.get("ours")!;
  const bare = summary.get("bare")!;
  const openai = summary.get("openai")!;
  const verdict = (value: number, target: number) =>
    `${value.toFixed(2)}x (target >= ${target.toFixed(2)}x) ${value >= target ? "ok" : "MISSED"}`;
  // Wall-clock is what a user sees; CPU time is what the client itself costs, and stays meaningful when
  // other processes compete for the cores (the server runs in this parent process, outside the measure).
  console.log(
    `ours/bare   wall: ${verdict(ours.wall / bare.wall, 0.85)}   CPU: ${verdict(ours.cpu / bare.cpu, 0.7)}`,
  );
  console.log(
    `ours/openai wall: ${verdict(ours.wall / openai.wall, 5)}   CPU: ${verdict(ours.cpu / openai.cpu, 3)}`,
  );
}

const workerFlag = process.argv.indexOf("--worker");
if (workerFlag !== -1) {
  await worker(process.argv[workerFlag + 1] as Contender, process.argv[workerFlag + 2]!);
} else {
  await main();
}
