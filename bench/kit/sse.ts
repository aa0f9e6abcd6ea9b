/**
 * SSE events per second on one stream: the kit streaming a model that never waits, against a bare
 * node:http server writing the same bytes with one `write` per event (issue goal: ≥ 0.5×). Both runners
 * stay up for all rounds and are warmed first, so the rounds compare steady code. CPU time per event
 * is the server process's own, which is what the ratio of throughputs reflects on an idle machine.
 */

import type { Child } from "../harness/child.js";
import type { Comparison } from "../harness/comparison.js";
import { countStreamEvents, postRequest } from "../harness/raw-http.js";
import { BASELINE, cpuMicros, describeRunners, RUNNERS, recording, startRunner } from "./runners.js";
import { SSE_DELTAS as DELTAS, sseBody } from "./workload.js";

const WARMUP_STREAMS = 2;

export const sseComparison: Comparison = {
  id: "kit-sse",
  title: "SSE events per second, one stream",
  describe: () => [
    `one stream of ${DELTAS.toLocaleString("en-US")} text deltas (a model that never waits), read by a raw socket that counts events`,
    ...describeRunners(),
  ],
  runners: RUNNERS,
  baseline: BASELINE,
  figures: [
    { key: "events/s", better: "higher", goal: 0.5 },
    { key: "CPU µs/event", better: "lower" },
  ],
  async start() {
    const { recording: recorded } = await recording();
    const request = postRequest("/v1/responses", sseBody(DELTAS));
    const children = new Map<string, Child>();
    try {
      for (const runner of RUNNERS) children.set(runner, await startRunner(runner));
      for (const child of children.values()) {
        for (let i = 0; i < WARMUP_STREAMS; i++) await countStreamEvents(child.port, request);
      }
    } catch (error) {
      await Promise.all([...children.values()].map((child) => child.close()));
      throw error;
    }
    return {
      async measure(runner) {
        const child = children.get(runner)!;
        const cpuBefore = await cpuMicros(child);
        const started = performance.now();
        const result = await countStreamEvents(child.port, request);
        const ms = performance.now() - started;
        const cpu = (await cpuMicros(child)) - cpuBefore;
        if (result.status !== 200 || result.events !== recorded.sse.length) {
          throw new Error(
            `${runner}: status ${result.status}, ${result.events} events; expected 200 and ${recorded.sse.length}`,
          );
        }
        return { "events/s": (result.events / ms) * 1000, "CPU µs/event": cpu / result.events };
      },
      async close() {
        await Promise.all([...children.values()].map((child) => child.close()));
      },
    };
  },
};
