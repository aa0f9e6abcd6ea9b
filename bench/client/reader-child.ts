/**
 * One reader of the client comparisons, in a process of its own (started by bench/harness/child.ts), kept
 * up for every round so the rounds compare warm, optimised code rather than a fresh process's JIT:
 *   ours <client module>  — `responses.stream()` of that module (this checkout's entry bundled, or another's);
 *   openai | bare | tuned — see readers.ts.
 * It answers `read` ({ url, requests }): runs the reader once unmeasured, then that many times back to
 * back, and reports the events and characters of the last request, the wall and CPU time of the measured
 * ones, and the heap's peak growth over its settled size (sampled every 10 ms).
 */

import { pathToFileURL } from "node:url";
import { serveCalls } from "../harness/child.js";
import { type ClientModule, type ReadResult, readBare, readOpenAI, readOurs, readTuned } from "./readers.js";

export interface ReadRequest {
  url: string;
  requests: number;
}

export interface ReadMeasurement extends ReadResult {
  requests: number;
  ms: number;
  cpuMs: number;
  peakHeapMB: number;
}

const [kind, clientFile] = process.argv.slice(2);

async function reader(): Promise<(url: string) => Promise<ReadResult>> {
  if (kind === "ours") {
    if (clientFile === undefined) throw new Error("the ours reader needs a client module");
    const client = (await import(pathToFileURL(clientFile).href)) as ClientModule;
    return (url) => readOurs(client, url);
  }
  if (kind === "openai") return readOpenAI;
  if (kind === "bare") return readBare;
  if (kind === "tuned") return readTuned;
  throw new Error(`unknown reader ${kind}`);
}

const read = await reader();
const gc = (globalThis as { gc?: () => void }).gc;

serveCalls(0, {
  async read(argument) {
    const { url, requests } = argument as ReadRequest;
    // The heap's settled size, for the peak's growth over it. A full collection shrinks the young
    // generation back to its smallest, which makes the next request pay for collections a process in
    // steady use does not: one request, not measured, lets it grow back first.
    gc?.();
    const baseHeap = process.memoryUsage().heapUsed;
    let peakHeap = baseHeap;
    const sample = () => {
      const heap = process.memoryUsage().heapUsed;
      if (heap > peakHeap) peakHeap = heap;
    };
    const timer = setInterval(sample, 10);
    await read(url);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let result: ReadResult = { events: 0, textLength: 0 };
    try {
      for (let i = 0; i < requests; i++) result = await read(url);
    } finally {
      clearInterval(timer);
    }
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    sample();
    const measurement: ReadMeasurement = {
      ...result,
      requests,
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakHeapMB: (peakHeap - baseHeap) / 1024 / 1024,
    };
    return measurement;
  },
});
