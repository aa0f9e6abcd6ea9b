/**
 * `npm run bench` (client half): serves two streams on loopback — 100,000 small text deltas, and 50
 * function calls in parallel whose arguments arrive as interleaved deltas — and measures, in one run,
 *   ours   — `client.responses.stream()` + `finalResponse()` of this package,
 *   openai — the `openai` SDK's `client.responses.stream()` helper + `finalResponse()`,
 *   bare   — fetch + TextDecoder + line split + JSON.parse, the floor any parser pays,
 *   tuned  — a tuned bare loop: the text scanned from an offset (no re-split of the buffer), one
 *            `JSON.parse` per event, the text and arguments kept.
 * Each measurement runs in a fresh child process (so peak memory is its own), contenders alternate over
 * several rounds, and the median is reported with the ratios; ratios are also taken round by round
 * (contenders of one round ran under the same load), reported as median and spread (min–max). The
 * machine's load average is printed before and after, since other processes share the cores.
 *
 * Environment: BENCH_DELTAS (default 100000), BENCH_CALLS (default 50), BENCH_CALL_DELTAS (deltas per
 * call, default 400), BENCH_ROUNDS (default 5), BENCH_ONLY (`deltas` or `calls`: one workload).
 */

import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { type BenchStream, buildBenchStream, buildCallsStream } from "./client-stream.js";

type Contender = "ours" | "openai" | "bare" | "tuned";
const CONTENDERS: Contender[] = ["ours", "openai", "bare", "tuned"];
type Workload = "deltas" | "calls";

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
const CALLS = Number(process.env.BENCH_CALLS ?? 50);
const CALL_DELTAS = Number(process.env.BENCH_CALL_DELTAS ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ONLY = process.env.BENCH_ONLY;
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
    return { events: stream.eventCount, textLength: outputLength(final.output) };
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
    return { events, textLength: outputLength(final.output) };
  }
  if (contender === "tuned") return tunedLoop(baseURL);
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
  const args: string[] = [];
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
      const event = JSON.parse(data) as DeltaEvent;
      events += 1;
      if (event.type === "response.output_text.delta") text += event.delta;
      else if (event.type === "response.function_call_arguments.delta") {
        args[event.output_index!] = (args[event.output_index!] ?? "") + event.delta;
      }
    }
  }
  return { events, textLength: text.length + args.reduce((n, a) => n + a.length, 0) };
}

type DeltaEvent = { type: string; delta?: string; output_index?: number };

/**
 * The tuned bare loop: each chunk decoded once (whole characters, outside TextDecoder's slow streaming
 * mode) and appended, lines found with `indexOf` from an offset,
 * the consumed part dropped once per chunk, one `JSON.parse` per `data:` line; it keeps what a client
 * must (the text, each call's arguments) and nothing else. No checks, no accumulated response.
 */
async function tunedLoop(baseURL: string): Promise<{ events: number; textLength: number }> {
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
  const args: string[] = [];
  let carry: Uint8Array | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // Node's TextDecoder is much slower in `stream: true` mode: decode whole characters only, and
    // carry the bytes of one split across chunks over to the next.
    let bytes = value;
    if (carry) {
      bytes = new Uint8Array(carry.length + value.length);
      bytes.set(carry);
      bytes.set(value, carry.length);
      carry = null;
    }
    let end = bytes.length;
    let back = 1;
    while (back <= 3 && back <= end && (bytes[end - back]! & 0xc0) === 0x80) back++;
    const lead = bytes[end - back];
    if (lead !== undefined && lead >= 0xc0) {
      const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
      if (needed > back) end -= back;
    }
    if (end < bytes.length) carry = bytes.slice(end);
    buffer += decoder.decode(end === bytes.length ? bytes : bytes.subarray(0, end));
    let offset = 0;
    for (;;) {
      const end = buffer.indexOf("\n", offset);
      if (end === -1) break;
      // "data: " is d(100) a t a : space; the test on the first and fifth characters is enough here.
      if (buffer.charCodeAt(offset) === 100 && buffer.charCodeAt(offset + 4) === 58) {
        const data = buffer.slice(offset + 6, end);
        if (data !== "[DONE]") {
          const event = JSON.parse(data) as DeltaEvent;
          events += 1;
          if (event.type === "response.output_text.delta") text += event.delta;
          else if (event.type === "response.function_call_arguments.delta") {
            args[event.output_index!] = (args[event.output_index!] ?? "") + event.delta;
          }
        }
      }
      offset = end + 1;
    }
    if (offset > 0) buffer = buffer.slice(offset);
  }
  return { events, textLength: text.length + args.reduce((n, a) => n + a.length, 0) };
}

/** The output's text plus every function call's arguments: what each contender must have kept. */
function outputLength(output: unknown): number {
  let length = 0;
  for (const item of output as Array<{
    type?: string;
    arguments?: string;
    content?: Array<{ type?: string; text?: string }>;
  }>) {
    if (item.type === "function_call") length += item.arguments?.length ?? 0;
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

function spread(values: number[]): string {
  return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
}

/** Serves `/v1/<workload>/responses` (and `/v1/<workload>/warmup/responses`, a shorter stream). */
function startServer(streams: Record<Workload, { full: BenchStream; warmup: BenchStream }>): Server {
  return createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const workload: Workload = req.url?.startsWith("/v1/calls/") ? "calls" : "deltas";
      const body = req.url?.includes("/warmup/")
        ? streams[workload].warmup.body
        : streams[workload].full.body;
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
}

async function main(): Promise<void> {
  const streams: Record<Workload, { full: BenchStream; warmup: BenchStream }> = {
    deltas: { full: buildBenchStream(DELTAS), warmup: buildBenchStream(Math.min(DELTAS, 10_000)) },
    calls: {
      full: buildCallsStream(CALLS, CALL_DELTAS),
      warmup: buildCallsStream(CALLS, Math.max(2, Math.min(CALL_DELTAS, 200))),
    },
  };
  const server = startServer(streams);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const loadBefore = load();
  try {
    if (ONLY !== "calls") {
      await runWorkload(
        "deltas",
        `${DELTAS.toLocaleString("en")} text deltas`,
        streams.deltas.full,
        `${base}/deltas`,
        [
          ["ours/tuned", "tuned", 1.0, 1.0],
          ["ours/bare", "bare", 0.85, 0.7],
          ["ours/openai", "openai", 5, 3],
        ],
      );
    }
    if (ONLY !== "deltas") {
      await runWorkload(
        "calls",
        `${CALLS} parallel function calls × ${CALL_DELTAS} argument deltas`,
        streams.calls.full,
        `${base}/calls`,
        [
          ["ours/tuned", "tuned", 0.9, 0.9],
          ["ours/bare", "bare", 0.85, 0.7],
          ["ours/openai", "openai", 3, 2],
        ],
      );
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  console.log(`load average (1/5/15 min) before: ${loadBefore}; after: ${load()}`);
}

async function runWorkload(
  workload: Workload,
  title: string,
  stream: BenchStream,
  baseURL: string,
  comparisons: Array<[label: string, against: Contender, wallTarget: number, cpuTarget: number]>,
): Promise<void> {
  console.log(
    `\nclient bench (${workload}): ${stream.events.toLocaleString("en")} events, ${title} ` +
      `(${(stream.body.length / 1024 / 1024).toFixed(1)} MB), ${ROUNDS} rounds, median of each; load ${load()}`,
  );
  const results = new Map<Contender, Measurement[]>(CONTENDERS.map((c) => [c, []]));
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
  // Speed ratios (above 1: ours is faster), taken within each round, then their median and spread.
  const ours = results.get("ours")!;
  const verdict = (values: number[], target: number) => {
    const value = median(values);
    return `${value.toFixed(2)}x [${spread(values)}] (target >= ${target.toFixed(2)}x) ${value >= target ? "ok" : "MISSED"}`;
  };
  for (const [label, against, wallTarget, cpuTarget] of comparisons) {
    const other = results.get(against)!;
    const wall = ours.map((m, i) => other[i]!.ms / m.ms);
    const cpu = ours.map((m, i) => other[i]!.cpuMs / m.cpuMs);
    // Wall-clock is what a user sees; CPU time is what the client itself costs, and stays meaningful when
    // other processes compete for the cores (the server runs in this parent process, outside the measure).
    console.log(`${label.padEnd(12)} wall: ${verdict(wall, wallTarget)}   CPU: ${verdict(cpu, cpuTarget)}`);
  }
}

const workerFlag = process.argv.indexOf("--worker");
if (workerFlag !== -1) {
  await worker(process.argv[workerFlag + 1] as Contender, process.argv[workerFlag + 2]!);
} else {
  await main();
}
