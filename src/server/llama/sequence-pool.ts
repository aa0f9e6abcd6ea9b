/**
 * The loaded context's sequences, lent to one request at a time. Requests beyond the number of
 * sequences wait in arrival order; one that is aborted while it waits leaves the queue at once. A
 * request is given the free sequence that already holds the longest prefix of its prompt (`affinity`),
 * so the next turn of a conversation reuses the previous turn's evaluated tokens instead of
 * evaluating the whole context again.
 */

interface Waiter<T> {
  resolve: (item: T) => void;
  reject: (reason: unknown) => void;
  affinity: ((item: T) => number) | undefined;
}

export class SequencePool<T> {
  #free: T[];
  #size: number;
  #waiting: Waiter<T>[] = [];
  #idle: Array<() => void> = [];
  #closed: Error | undefined;

  constructor(items: readonly T[]) {
    this.#free = [...items];
    this.#size = items.length;
  }

  /** Resolves with a free item (the best `affinity` score among the free ones); rejects when `signal` aborts. */
  acquire(signal: AbortSignal, affinity?: (item: T) => number): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#free.length > 0) return Promise.resolve(this.#take(affinity));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve: (item) => {
          signal.removeEventListener("abort", onAbort);
          resolve(item);
        },
        reject: (reason) => {
          signal.removeEventListener("abort", onAbort);
          reject(reason);
        },
        affinity,
      };
      const onAbort = () => {
        this.#waiting = this.#waiting.filter((entry) => entry !== waiter);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  /** Gives an item back: to the first waiter, else to the free list. */
  release(item: T): void {
    const next = this.#waiting.shift();
    if (next) {
      next.resolve(item);
      return;
    }
    this.#free.push(item);
    if (this.#free.length === this.#size) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves once every item is back (at once when none is lent). */
  idle(): Promise<void> {
    if (this.#free.length === this.#size) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** How many requests wait for an item. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Refuses every waiter and every later request with `reason`. */
  close(reason: Error): void {
    this.#closed = reason;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(reason);
  }

  #take(affinity: ((item: T) => number) | undefined): T {
    let best = 0;
    if (affinity && this.#free.length > 1) {
      let bestScore = Number.NEGATIVE_INFINITY;
      this.#free.forEach((item, index) => {
        const score = affinity(item);
        if (score > bestScore) {
          bestScore = score;
          best = index;
        }
      });
    }
    return this.#free.splice(best, 1)[0] as T;
  }
}
