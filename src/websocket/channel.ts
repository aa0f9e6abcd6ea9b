/**
 * A one-consumer async queue: the session pushes a turn's messages as they arrive, whether or not
 * anyone reads them yet, so a slow (or absent) reader never holds up the next turn on the socket.
 */

export class MessageChannel<T> implements AsyncIterable<T> {
  readonly #buffered: T[] = [];
  #waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  #ended = false;
  #failure: { error: unknown } | null = null;
  #discarding = false;

  /** Queues a value; ignored after the channel ended or the reader went away. */
  push(value: T): void {
    if (this.#ended || this.#discarding) return;
    if (this.#waiting) {
      const { resolve } = this.#waiting;
      this.#waiting = null;
      resolve({ value, done: false });
      return;
    }
    this.#buffered.push(value);
  }

  /** Ends the channel normally: the reader gets what is buffered, then `done`. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#waiting && this.#buffered.length === 0) {
      const { resolve } = this.#waiting;
      this.#waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  /** Ends the channel with an error, raised after the buffered values are read. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#failure = { error };
    this.#ended = true;
    if (this.#waiting && this.#buffered.length === 0) {
      const { reject } = this.#waiting;
      this.#waiting = null;
      reject(error);
    }
  }

  /** The reader stopped early: drop what is buffered and everything later. */
  discard(): void {
    this.#discarding = true;
    this.#buffered.length = 0;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const value = this.#buffered.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (this.#ended) {
          if (this.#failure) {
            const { error } = this.#failure;
            this.#failure = null;
            return Promise.reject(error);
          }
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          this.#waiting = { resolve, reject };
        });
      },
      return: () => {
        this.discard();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
