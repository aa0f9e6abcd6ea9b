/**
 * Keeps a turn from starving the event loop. A model that never awaits real I/O (the built-in model, a
 * sync generator, a cached answer) runs entirely in microtasks, and so would the writer and the
 * transport consuming it: no socket is read, no timer fires, a client that left is never noticed, and
 * every other client waits for the whole turn. The engine therefore gives the event loop a turn (a
 * macrotask) whenever it has worked for `YIELD_INTERVAL_MS` without one.
 *
 * Web-standard only, since the handler runs on edge runtimes: `setTimeout(0)`, or `setImmediate` when
 * the runtime has it as a global (Node, Bun), which lets pending I/O run without the timer's 1 ms floor.
 * Nothing is imported.
 */

/** Milliseconds of uninterrupted work after which a turn yields to the event loop. */
export const YIELD_INTERVAL_MS = 8;

const clock: () => number =
  typeof globalThis.performance?.now === "function" ? () => globalThis.performance.now() : Date.now;

type Immediate = (callback: () => void) => unknown;

/** Resolves on a later turn of the event loop, after pending I/O callbacks. */
export function nextMacrotask(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  return new Promise((resolve) => {
    if (typeof immediate === "function") immediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** Tracks the time since the last macrotask; `due()` is cheap enough to call once per event. */
export class LoopYielder {
  #since = clock();
  readonly #interval: number;

  constructor(intervalMs = YIELD_INTERVAL_MS) {
    this.#interval = intervalMs;
  }

  due(): boolean {
    return clock() - this.#since >= this.#interval;
  }

  async yield(): Promise<void> {
    await nextMacrotask();
    this.#since = clock();
  }
}
