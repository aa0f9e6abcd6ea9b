/**
 * `npm run bench` (store half): turns per second through two `openresponses serve` replicas under the
 * same load, first each on its own in-memory store (conversations pinned to one replica, as a sticky
 * load balancer would), then both on one Redis (`--store redis://…`, every turn on the other replica
 * from the one before, so each turn reads the context the other replica stored).
 *
 * A turn is a JSON `POST /v1/responses` with `previous_response_id`; a conversation is TURNS turns, then
 * starts over, so contexts stay small. CONCURRENCY conversations run at once for SECONDS, in ROUNDS
 * rounds alternating between the two stores; the figure is each store's median round.
 * Environment: BENCH_STORE_SECONDS (default 3), BENCH_STORE_CONCURRENCY (default 16),
 * BENCH_STORE_TURNS (default 5), BENCH_STORE_ROUNDS (default 4). Needs /usr/bin/redis-server for the
 * Redis figure (skipped without it).
 */

import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { startServe, stop } from "../test/cli/spawn-cli.js";
import { REDIS_SERVER_PATH, startRedis } from "../test/support/redis.js";

const SECONDS = Number(process.env.BENCH_STORE_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_STORE_CONCURRENCY ?? 16);
const TURNS = Number(process.env.BENCH_STORE_TURNS ?? 5);
const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 4);

interface Figure {
  turns: number;
  failed: number;
  ms: number;
}

async function post(base: string, body: object): Promise<string | null> {
  const response = await fetch(`${base}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await response.json()) as { id?: string };
  return response.status === 200 && typeof json.id === "string" ? json.id : null;
}

/** CONCURRENCY conversations for SECONDS; `replicaFor(conversation, turn)` picks where each turn goes. */
async function load(
  replicas: string[],
  replicaFor: (conversation: number, turn: number) => number,
): Promise<Figure> {
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  let turns = 0;
  let failed = 0;
  const conversation = async (index: number) => {
    while (performance.now() < deadline) {
      let previous: string | null = null;
      for (let turn = 0; turn < TURNS && performance.now() < deadline; turn++) {
        const base = replicas[replicaFor(index, turn) % replicas.length] as string;
        const input = turn === 0 ? "My name is Ada." : `Turn ${turn}: what is my name?`;
        const id: string | null = await post(base, {
          input,
          ...(previous ? { previous_response_id: previous } : {}),
        });
        if (id === null) {
          failed++;
          break;
        }
        turns++;
        previous = id;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, index) => conversation(index)));
  return { turns, failed, ms: performance.now() - started };
}

async function startReplicas(args: string[]) {
  const replicas = [await startServe(args), await startServe(args)];
  const urls = replicas.map((replica) => replica.url);
  // Warm-up (JIT, connections, the store's first round trips): a few turns on each replica, not timed.
  for (const url of urls) for (let i = 0; i < 20; i++) await post(url, { input: "warm up" });
  return { urls, stop: async () => Promise.all(replicas.map((replica) => stop(replica.child))) };
}

const perSecond = (figure: Figure) => (figure.turns / figure.ms) * 1000;
const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const show = (label: string, figures: Figure[]) => {
  const rates = figures.map(perSecond);
  const failed = figures.reduce((sum, figure) => sum + figure.failed, 0);
  console.log(
    `  ${label} ${Math.round(median(rates)).toLocaleString("en-US").padStart(6)} turns/s median ` +
      `(rounds: ${rates.map((rate) => Math.round(rate)).join(", ")}${failed ? `; ${failed} turns failed` : ""})`,
  );
};

console.log(
  `\nStore: load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores before the run (the figures move with it)`,
);
console.log(
  `Store: two serve replicas per store, ${CONCURRENCY} concurrent conversations of ${TURNS} turns, ` +
    `${ROUNDS} alternating rounds of ${SECONDS} s per store`,
);
const hasRedis = existsSync(REDIS_SERVER_PATH);
const redis = hasRedis ? await startRedis() : undefined;
const pinned = await startReplicas([]);
const shared = redis ? await startReplicas(["--store", redis.url]) : undefined;
try {
  const memoryFigures: Figure[] = [];
  const redisFigures: Figure[] = [];
  const runMemory = async () => memoryFigures.push(await load(pinned.urls, (conversation) => conversation));
  const runRedis = async () => {
    if (shared) redisFigures.push(await load(shared.urls, (conversation, turn) => conversation + turn));
  };
  // Alternating rounds, each store first in every other one, so a change in the machine's load (or
  // whatever the first run of a round pays) touches both stores alike.
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      await runMemory();
      await runRedis();
    } else {
      await runRedis();
      await runMemory();
    }
  }
  show("in-memory store (each conversation pinned to one replica):", memoryFigures);
  if (shared) {
    show("Redis store (every turn on the other replica):          ", redisFigures);
    const ratio = median(redisFigures.map(perSecond)) / median(memoryFigures.map(perSecond));
    console.log(`  Redis / in-memory: ${ratio.toFixed(2)}`);
  } else {
    console.log(`  Redis: skipped (${REDIS_SERVER_PATH} is absent; apt-get install redis-server)`);
  }
} finally {
  await pinned.stop();
  await shared?.stop();
  await redis?.stop();
}
