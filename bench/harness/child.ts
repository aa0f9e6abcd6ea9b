/**
 * Runners that are servers run in child processes of their own, so each one's CPU time and memory are
 * its own and the load generator (this process) never shares their event loop. The parent talks to a
 * child over Node's IPC channel: the child says `ready` with its port, then answers `call`s by name.
 *
 *   parent: const child = await startChild(file, args); await child.call("cpu"); await child.close();
 *   child:  await serveCalls(port, { cpu: () => process.cpuUsage() });
 */

import { type ChildProcess, spawn } from "node:child_process";

export interface Child {
  readonly port: number;
  readonly pid: number;
  /** Runs the child's handler `name` and resolves with what it returned. */
  call<T = unknown>(name: string, argument?: unknown): Promise<T>;
  /** Ends the child (SIGTERM, then SIGKILL after a second) and resolves when it has exited. */
  close(): Promise<void>;
}

interface Reply {
  id?: number;
  ready?: boolean;
  port?: number;
  result?: unknown;
  error?: string;
}

const START_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 120_000;

/**
 * Starts `file` (TypeScript, through tsx) with `--expose-gc`, so the child can measure settled memory,
 * and any further `nodeFlags`.
 */
export function startChild(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  nodeFlags: readonly string[] = [],
): Promise<Child> {
  const child = spawn(process.execPath, ["--expose-gc", ...nodeFlags, "--import", "tsx", file, ...args], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, ...env },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  exit.then(() => {
    exited = true;
    for (const { reject } of pending.values()) reject(new Error(`bench child ${file} exited`));
    pending.clear();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bench child ${file} did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bench child ${file} ${args.join(" ")} exited with ${code} before it was ready`));
    });
    child.on("message", (message: Reply) => {
      if (message.ready && typeof message.port === "number") {
        clearTimeout(timer);
        resolve(handle(child, message.port));
        return;
      }
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (waiting === undefined) return;
      pending.delete(message.id!);
      if (message.error !== undefined) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    });
  });

  function handle(spawned: ChildProcess, port: number): Child {
    return {
      port,
      pid: spawned.pid ?? -1,
      call<T>(name: string, argument?: unknown): Promise<T> {
        if (exited) return Promise.reject(new Error(`bench child ${file} has exited`));
        const id = nextId++;
        return new Promise<T>((resolve, reject) => {
          const timer = setTimeout(() => {
            pending.delete(id);
            reject(new Error(`bench child call ${name} timed out`));
          }, CALL_TIMEOUT_MS);
          pending.set(id, {
            resolve: (value) => {
              clearTimeout(timer);
              resolve(value as T);
            },
            reject: (error) => {
              clearTimeout(timer);
              reject(error);
            },
          });
          spawned.send({ id, name, argument });
        });
      },
      async close() {
        if (exited) return;
        spawned.kill("SIGTERM");
        const killer = setTimeout(() => spawned.kill("SIGKILL"), 1000);
        await exit;
        clearTimeout(killer);
      },
    };
  }
}

type CallHandler = (argument: unknown) => unknown;

/** The child's side: announces `port`, then answers calls; `cpu` and `memory` are always there. */
export function serveCalls(port: number, handlers: Record<string, CallHandler> = {}): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error("a bench child must be started by startChild (no IPC channel)");
  const gc = (globalThis as { gc?: () => void }).gc;
  const all: Record<string, CallHandler> = {
    cpu: () => process.cpuUsage(),
    // Settled memory: two full collections, so what is left is what is still referenced.
    memory: () => {
      gc?.();
      gc?.();
      return process.memoryUsage();
    },
    ...handlers,
  };
  process.on("message", async (message: { id: number; name: string; argument?: unknown }) => {
    const handler = all[message.name];
    try {
      if (handler === undefined) throw new Error(`no bench call named ${message.name}`);
      send({ id: message.id, result: await handler(message.argument) });
    } catch (error) {
      send({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  // The parent going away (a crash, Ctrl-C) must not leave a server behind.
  process.on("disconnect", () => process.exit(0));
  send({ ready: true, port });
}
