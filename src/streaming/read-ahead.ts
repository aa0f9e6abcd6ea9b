/**
 * Reading a byte stream ahead of its consumer, until one arrives. A response body nobody reads stays
 * unfinished in `fetch` (it waits for the reader), and an unfinished body holds its connection, which in
 * Node keeps the process alive: a stream created and never read would keep a script running until the
 * server gave up on the connection. Read ahead, the body is taken in as it arrives, the connection is
 * released when the server ends it, and the process can exit, as with the `openai` SDK. Once a consumer
 * starts, reads go straight to the source again (after what was read ahead), so backpressure is back.
 */

/** The part of a `ReadableStreamDefaultReader` the stream uses. */
export interface ByteReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

export class ReadAhead implements ByteReader {
  readonly #source: ByteReader;
  readonly #limit: number;
  /**
   * The reads made ahead, in order, each kept from the moment it is made: a consumer takes the first
   * even while it is still under way, and a read that fails hands its failure over in its turn.
   */
  readonly #buffered: Array<Promise<ReadableStreamReadResult<Uint8Array>>> = [];
  #bufferedBytes = 0;
  #stopped = false;

  /** Starts reading `source` ahead; at most `limit` bytes are held before a consumer arrives. */
  constructor(source: ByteReader, limit: number) {
    this.#source = source;
    this.#limit = limit;
    void this.#loop();
  }

  /** The consumer's read: reading ahead stops (what was read is handed out first). */
  read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    this.#stopped = true;
    // (What was read ahead no longer counts against the limit: nothing is read ahead any more.)
    return this.#buffered.shift() ?? this.#source.read();
  }

  cancel(reason?: unknown): Promise<void> {
    this.#stopped = true;
    return this.#source.cancel(reason);
  }

  async #loop(): Promise<void> {
    try {
      while (!this.#stopped && this.#bufferedBytes <= this.#limit) {
        const read = this.#source.read();
        this.#buffered.push(read);
        const result = await read;
        if (result.done) return;
        this.#bufferedBytes += result.value.byteLength;
      }
    } catch {
      // The failed read is in the buffer: the consumer gets its failure, after what was read before it.
    }
  }
}
