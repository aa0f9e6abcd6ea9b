/**
 * The runners of the kit comparisons: `kit` (this tree's server entry), `bare` (node:http sending the
 * kit's recorded bytes) and, when BENCH_KIT_BASE names another checkout of the repository, `base` (that
 * checkout's kit, e.g. main before a change), so a before/after pair is measured in the same run.
 *
 * The kit runs bundled by esbuild as the package ships it (tsup, no `keepNames`), not through tsx, whose
 * transform wraps every function in a naming helper: that costs time per closure made and leaves each
 * closure with a slow property store, which would count against the kit in both speed and memory.
 */

import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundled } from "../harness/bundle.js";
import { type Child, startChild } from "../harness/child.js";
import { recordKit } from "./recording.js";
import { type Recording, SSE_DELTAS } from "./workload.js";

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, "server-child.ts");
const OWN_ENTRY = resolve(here, "../../src/server/index.ts");
const BASE = process.env.BENCH_KIT_BASE;

/**
 * V8 flags of every server runner, the same for each. The runners take turns, so each sits idle while
 * the others are measured (several seconds), and V8 throws away the bytecode, and with it the optimised
 * code, of functions that did not run over a few garbage collections. A server would start each round
 * partly cold, and how cold varied from round to round: the kit's CPU per JSON turn on 50 connections
 * was 67-74 µs in some rounds and 105-137 µs in others, its ratio to the bare server 0.33-0.63× in one
 * run, where the rounds are meant to compare steady servers (a server under steady traffic is never idle
 * that long). With the bytecode kept, the same run measured 0.34-0.39×. `BENCH_KIT_V8_DEFAULTS=1` runs
 * the servers with V8's defaults instead.
 */
const SERVER_FLAGS: readonly string[] = process.env.BENCH_KIT_V8_DEFAULTS ? [] : ["--no-flush-bytecode"];

export const BASELINE = "bare";
export const RUNNERS: readonly string[] = BASE ? ["kit", "base", BASELINE] : ["kit", BASELINE];

export function describeRunners(): string[] {
  const lines = [
    "kit: serve() + createResponsesHandler (this checkout); bare: node:http sending the bytes the kit sent",
  ];
  if (BASE) lines.push(`base: the kit of ${BASE}`);
  lines.push(
    SERVER_FLAGS.length > 0
      ? `every server runs with ${SERVER_FLAGS.join(" ")} (steady between rounds; BENCH_KIT_V8_DEFAULTS=1 for V8's defaults)`
      : "every server runs with V8's default flags (BENCH_KIT_V8_DEFAULTS)",
  );
  return lines;
}

let recorded: Promise<{ file: string; recording: Recording }> | undefined;

/** The kit's bytes for the bench requests, recorded once per run. */
export function recording(): Promise<{ file: string; recording: Recording }> {
  recorded ??= recordKit(SSE_DELTAS).then((result) => {
    process.once("exit", () => rmSync(dirname(result.file), { recursive: true, force: true }));
    return result;
  });
  return recorded;
}

/** Starts one runner's server process. */
export async function startRunner(runner: string): Promise<Child> {
  if (runner === "kit")
    return startChild(CHILD, ["kit", await bundled(OWN_ENTRY, "server")], {}, SERVER_FLAGS);
  if (runner === "base" && BASE) {
    return startChild(
      CHILD,
      ["kit", await bundled(resolve(BASE, "src/server/index.ts"), "server")],
      {},
      SERVER_FLAGS,
    );
  }
  if (runner === BASELINE) return startChild(CHILD, ["bare", (await recording()).file], {}, SERVER_FLAGS);
  throw new Error(`unknown runner ${runner}`);
}

/** CPU time (user + system) a child spent, in microseconds, between two `cpu` calls. */
export async function cpuMicros(child: Child): Promise<number> {
  const usage = await child.call<{ user: number; system: number }>("cpu");
  return usage.user + usage.system;
}

/** A child's CPU time so far in microseconds: all of it, and the system (kernel) part, read at once. */
export async function cpuTimes(child: Child): Promise<{ total: number; system: number }> {
  const usage = await child.call<{ user: number; system: number }>("cpu");
  return { total: usage.user + usage.system, system: usage.system };
}
