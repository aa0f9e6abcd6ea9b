/**
 * A one-consumer async queue: the session pushes a turn's messages as they arrive, whether or not
 * anyone reads them yet, so a slow (or absent) reader never holds up the next turn on the socket.
 */

export class MessageChannel<T> implements AsyncIterable<T> {
  readonly #buffered: T[] = [];
  /** Wakes the reader waiting for the next value or the end. */
  #wake: (() => void) | null = null;
  /** Set once the channel ended: `{}` normally, `{ error }` when it failed. */
  #end: { error?: unknown } | null = null;
  #discarding = false;

  /** Queues a value; ignored after the channel ended or the reader went away. */
  push(value: T): void {
    if (this.#end || this.#discarding) return;
    this.#buffered.push(value);
    this.#signal();
  }

  /** Ends the channel normally: the reader gets what is buffered, then `done`. */
  end(): void {
    this.#close({});
  }

  /** Ends the channel with an error, raised after the buffered values are read. */
  fail(error: unknown): void {
    this.#close({ error });
  }

  /** The reader stopped early: drop what is buffered and everything later. */
  discard(): void {
    this.#discarding = true;
    this.#buffered.length = 0;
  }

  #close(end: { error?: unknown }): void {
    if (this.#end) return;
    this.#end = end;
    this.#signal();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: async () => {
        for (;;) {
          if (this.#buffered.length > 0) return { value: this.#buffered.shift() as T, done: false };
          const end = this.#end;
          if (end) {
            // The failure is raised once; later reads see the end.
            if ("error" in end) {
              this.#end = {};
              throw end.error;
            }
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
        }
      },
      return: async () => {
        this.discard();
        return { value: undefined, done: true };
      },
    };
  }
}
