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

export const BASELINE = "bare";
export const RUNNERS: readonly string[] = BASE ? ["kit", "base", BASELINE] : ["kit", BASELINE];

export function describeRunners(): string[] {
  const lines = [
    "kit: serve() + createResponsesHandler (this checkout); bare: node:http sending the bytes the kit sent",
  ];
  if (BASE) lines.push(`base: the kit of ${BASE}`);
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
  if (runner === "kit") return startChild(CHILD, ["kit", await bundled(OWN_ENTRY, "server")]);
  if (runner === "base" && BASE) {
    return startChild(CHILD, ["kit", await bundled(resolve(BASE, "src/server/index.ts"), "server")]);
  }
  if (runner === BASELINE) return startChild(CHILD, ["bare", (await recording()).file]);
  throw new Error(`unknown runner ${runner}`);
}

/** CPU time (user + system) a child spent, in microseconds, between two `cpu` calls. */
export async function cpuMicros(child: Child): Promise<number> {
  const usage = await child.call<{ user: number; system: number }>("cpu");
  return usage.user + usage.system;
}
