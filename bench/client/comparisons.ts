import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundled } from "../harness/bundle.js";
import { type Child, startChild } from "../harness/child.js";
import type { Comparison, Figure } from "../harness/comparison.js";
import type { ReadMeasurement, ReadRequest } from "./reader-child.js";
import { type BenchStream, buildBenchStream, buildCallsStream } from "./stream.js";

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, "reader-child.ts");
const SERVER = join(here, "server-child.ts");
const OWN_ENTRY = resolve(here, "../../src/index.ts");
const BASE = process.env.BENCH_CLIENT_BASE;

const DELTAS = Number(process.env.BENCH_DELTAS ?? 100_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 50);
const CALL_DELTAS = Number(process.env.BENCH_CALL_DELTAS ?? 400);
const ROUNDS = process.env.BENCH_CLIENT_ROUNDS ? Number(process.env.BENCH_CLIENT_ROUNDS) : undefined;
/**
 * Reader processes per runner, the rounds taking them in turn. A process falls early, and for good, into
 * one of two regimes of the C library's heap (docs/benchmarks.md, "The full collection before each
 * measurement"), which moves its CPU per event by 10-30 %: with one process per runner, a run's ratio
 * is a draw of that lottery; with several, each runner's median covers its processes' regimes.
 */
const PROCESSES = Math.max(1, Number(process.env.BENCH_CLIENT_PROCESSES ?? 3));

const BASELINE = "tuned";
const ALL_READERS = BASE
  ? ["ours", "base", "openai", "bare", BASELINE]
  : ["ours", "openai", "bare", BASELINE];
const PICKED = process.env.BENCH_CLIENT_READERS?.split(",").map((name) => name.trim());
// The baseline is always measured: every ratio is taken against it.
const RUNNERS: readonly string[] = ALL_READERS.filter(
  (name) => PICKED === undefined || PICKED.includes(name) || name === BASELINE,
);

interface Workload {
  id: string;
  title: string;
  stream: () => BenchStream;
  /** The arguments of server-child.ts that make it serve the same stream. */
  serverArgs: string[];
  goal: number;
  rounds: number | undefined;
  /** Full requests each reader makes before the first round (the `openai` helper makes fewer: it is slow). */
  warmup: number;
  /** Requests per measurement. */
  requests: number;
}

function figures(goal: number): Figure[] {
  const ours = BASE ? ["ours", "base"] : ["ours"];
  return [
    { key: "events/CPU-s", better: "higher", goal, runners: ours },
    { key: "CPU µs/event", better: "lower" },
    { key: "events/s", better: "higher" },
    { key: "peak heap MB", better: "lower" },
  ];
}

async function startReader(runner: string): Promise<Child> {
  if (runner === "ours") return startChild(CHILD, ["ours", await bundled(OWN_ENTRY, "client")]);
  if (runner === "base" && BASE)
    return startChild(CHILD, ["ours", await bundled(resolve(BASE, "src/index.ts"), "client")]);
  return startChild(CHILD, [runner]);
}

function comparison(workload: Workload): Comparison {
  let stream: BenchStream | undefined;
  const built = () => {
    stream ??= workload.stream();
    return stream;
  };
  return {
    id: workload.id,
    title: workload.title,
    describe: () => {
      const s = built();
      return [
        `${s.events.toLocaleString("en-US")} events, ${(s.body.length / 1024 / 1024).toFixed(1)} MB of SSE on loopback, written in 64 KiB pieces by a server process of its own`,
        "ours: responses.stream() + finalResponse() (every check on); openai: the SDK's responses.stream() helper; " +
          "bare: fetch + streaming TextDecoder + split + JSON.parse; tuned: chunks decoded whole, lines found from an offset, one JSON.parse per event",
        `each reader ${PROCESSES === 1 ? "a warm process" : `${PROCESSES} warm processes, taken in turn round by round`} of its own (${workload.warmup} full requests first in each); ${workload.requests} requests per measurement (openai: 1, in one process)`,
        ...(BASE ? [`base: the client of ${BASE}`] : []),
      ];
    },
    runners: RUNNERS,
    baseline: BASELINE,
    figures: figures(workload.goal),
    rounds: workload.rounds,
    async start() {
      const s = built();
      const server = await startChild(SERVER, workload.serverArgs);
      const url = `http://127.0.0.1:${server.port}/v1`;
      const children = new Map<string, Child[]>();
      const close = async () => {
        await Promise.all([...children.values()].flat().map((child) => child.close()));
        await server.close();
      };
      const requestsOf = (runner: string) => (runner === "openai" ? 1 : workload.requests);
      try {
        for (const runner of RUNNERS) {
          // The `openai` helper is slow and only there for context: one process.
          const count = runner === "openai" ? 1 : PROCESSES;
          const started: Child[] = [];
          children.set(runner, started);
          for (let i = 0; i < count; i++) {
            const child = await startReader(runner);
            started.push(child);
            const warmup: ReadRequest = { url, requests: runner === "openai" ? 1 : workload.warmup };
            await child.call("read", warmup);
          }
        }
      } catch (error) {
        await close();
        throw error;
      }
      return {
        async measure(runner, round) {
          const request: ReadRequest = { url, requests: requestsOf(runner) };
          const processes = children.get(runner)!;
          const m = await processes[round % processes.length]!.call<ReadMeasurement>("read", request);
          if (m.events !== s.events || m.textLength !== s.text.length) {
            throw new Error(
              `${runner} read ${m.events} events / ${m.textLength} characters; expected ${s.events} / ${s.text.length}`,
            );
          }
          const events = s.events * m.requests;
          return {
            "events/CPU-s": events / (m.cpuMs / 1000),
            "CPU µs/event": (m.cpuMs * 1000) / events,
            "events/s": events / (m.ms / 1000),
            "peak heap MB": m.peakHeapMB,
          };
        },
        close,
      };
    },
  };
}

export const clientDeltasComparison: Comparison = comparison({
  id: "client-deltas",
  title: `Client: ${DELTAS.toLocaleString("en-US")} small text deltas, against a tuned bare loop`,
  stream: () => buildBenchStream(DELTAS),
  serverArgs: ["deltas", String(DELTAS)],
  goal: 1.0,
  rounds: ROUNDS ?? 7,
  warmup: 3,
  requests: 2,
});

export const clientCallsComparison: Comparison = comparison({
  id: "client-calls",
  title: `Client: ${CALLS} parallel function calls × ${CALL_DELTAS} argument deltas, against a tuned bare loop`,
  stream: () => buildCallsStream(CALLS, CALL_DELTAS),
  serverArgs: ["calls", String(CALLS), String(CALL_DELTAS)],
  goal: 0.9,
  rounds: ROUNDS ?? 15,
  warmup: 10,
  requests: 4,
});
