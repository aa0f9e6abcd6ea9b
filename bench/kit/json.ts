/**
 * Small JSON turns per second with the built-in model: on one keep-alive connection (one request at a
 * time, so latency is the figure) and on CONNECTIONS at once (throughput and p99 latency), the kit
 * against a bare node:http server answering the same bytes (issue goal: ≥ 0.4× on both).
 */

import type { Child } from "../harness/child.js";
import type { Comparison } from "../harness/comparison.js";
import { Connection, postRequest } from "../harness/raw-http.js";
import { percentile } from "../harness/stats.js";
import { BASELINE, cpuTimes, describeRunners, RUNNERS, recording, startRunner } from "./runners.js";
import { jsonBody } from "./workload.js";

const SECONDS = Number(process.env.BENCH_JSON_SECONDS ?? 1.5);
const CONNECTIONS = Number(process.env.BENCH_JSON_CONNECTIONS ?? 50);
/**
 * Seconds of load before the rounds: the kit's code takes seconds of traffic to be optimised on a busy
 * machine (its CPU per turn falls about fourfold), and the rounds are to compare steady servers.
 */
const WARMUP_SECONDS = Number(process.env.BENCH_JSON_WARMUP ?? 4);
const request = postRequest("/v1/responses", jsonBody);

interface Load {
  turns: number;
  ms: number;
  cpuMicros: number;
  /** The kernel's part of `cpuMicros`. */
  systemMicros: number;
  latencies: number[];
}

/** `connections` loops, each sending one request at a time until `seconds` have passed. */
async function load(
  child: Child,
  connections: number,
  seconds: number,
  expectedLength: number,
): Promise<Load> {
  const open = await Promise.all(Array.from({ length: connections }, () => Connection.open(child.port)));
  const latencies: number[] = [];
  try {
    const before = await cpuTimes(child);
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      open.map(async (connection) => {
        while (performance.now() < deadline) {
          const sent = performance.now();
          const response = await connection.request(request);
          latencies.push(performance.now() - sent);
          // Ids and timestamps differ per answer, but never in length.
          if (response.status !== 200 || response.body.byteLength !== expectedLength) {
            throw new Error(`a JSON turn answered ${response.status} with ${response.body.byteLength} bytes`);
          }
        }
      }),
    );
    const ms = performance.now() - started;
    const after = await cpuTimes(child);
    return {
      turns: latencies.length,
      ms,
      cpuMicros: after.total - before.total,
      systemMicros: after.system - before.system,
      latencies,
    };
  } finally {
    for (const connection of open) connection.close();
  }
}

export const jsonComparison: Comparison = {
  id: "kit-json",
  title: "small JSON turns per second, built-in model",
  describe: () => [
    `POST /v1/responses ${jsonBody} for ${SECONDS} s on 1 keep-alive connection, then on ${CONNECTIONS}, after ${WARMUP_SECONDS} s of warm-up`,
    ...describeRunners(),
  ],
  runners: RUNNERS,
  baseline: BASELINE,
  figures: [
    { key: "turns/s, 1 conn", better: "higher", goal: 0.4 },
    { key: "CPU µs/turn, 1", better: "lower" },
    { key: `turns/s, ${CONNECTIONS} conns`, better: "higher", goal: 0.4 },
    { key: `p99 ms, ${CONNECTIONS} conns`, better: "lower" },
    { key: `CPU µs/turn, ${CONNECTIONS}`, better: "lower" },
    // The kernel's part: on loopback it includes delivering each answer to the load generator and
    // waking it, which costs more the slower the server is (docs/benchmarks.md, "system time").
    { key: `system µs/turn, ${CONNECTIONS}`, better: "lower" },
  ],
  async start() {
    const expected = Buffer.byteLength((await recording()).recording.json);
    const children = new Map<string, Child>();
    try {
      for (const runner of RUNNERS) {
        const child = await startRunner(runner);
        children.set(runner, child);
        await load(child, 10, WARMUP_SECONDS, expected);
      }
    } catch (error) {
      await Promise.all([...children.values()].map((child) => child.close()));
      throw error;
    }
    return {
      async measure(runner) {
        const child = children.get(runner)!;
        const one = await load(child, 1, SECONDS, expected);
        const many = await load(child, CONNECTIONS, SECONDS, expected);
        const sorted = many.latencies.sort((a, b) => a - b);
        return {
          "turns/s, 1 conn": (one.turns / one.ms) * 1000,
          "CPU µs/turn, 1": one.cpuMicros / one.turns,
          [`turns/s, ${CONNECTIONS} conns`]: (many.turns / many.ms) * 1000,
          [`p99 ms, ${CONNECTIONS} conns`]: percentile(sorted, 0.99),
          [`CPU µs/turn, ${CONNECTIONS}`]: many.cpuMicros / many.turns,
          [`system µs/turn, ${CONNECTIONS}`]: many.systemMicros / many.turns,
        };
      },
      async close() {
        await Promise.all([...children.values()].map((child) => child.close()));
      },
    };
  },
};
