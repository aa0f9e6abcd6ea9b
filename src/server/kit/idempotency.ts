/**
 * `Idempotency-Key` (the header the client sends on every POST, the same on each retry): a repeated key
 * from the same credential with the same body, within the window, gets the first attempt's answer
 * replayed instead of running the model again; while the first attempt still runs, a repeat gets 409
 * (which clients retry after a pause); the same key with a different body is a 422.
 *
 * Only answers of requests that reached the model are recorded (a 200, or a response that failed in the
 * model); an answer before the model (a 400, 401, 404) is not, since repeating it is harmless. An
 * attempt whose client left before its answer was complete was stopped, so it is forgotten and a retry
 * runs anew. Credentials and bodies are kept only as SHA-256 digests (Web Crypto, so this runs on any
 * runtime); answers are kept in memory, bounded by count, bytes and age.
 */

import { concatBytes } from "./body-reader.js";
import { type KitError, kitError } from "./kit-error.js";

export interface IdempotencyOptions {
  /** How long an answer can be replayed, in milliseconds. Default 24 hours. */
  windowMs?: number;
  /** Keys remembered at once; the oldest is forgotten first. Default 1000. */
  maxEntries?: number;
  /**
   * Bytes of answers kept for replay, all keys together; the oldest are forgotten first. An answer
   * larger than this is not kept: a repeat of its key then gets 409 `idempotency_result_unavailable`
   * rather than a second run. Default 64 MiB.
   */
  maxBytes?: number;
}

export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** A recorded answer: enough to build the same Response again. */
interface Recorded {
  status: number;
  contentType: string;
  body: Uint8Array;
}

interface Entry {
  fingerprint: string;
  createdAt: number;
  /** undefined while the first attempt runs; null when it finished but was too large to keep. */
  answer: Recorded | null | undefined;
  bytes: number;
}

/** What the handler does with a request carrying a key. */
export type Claim =
  | { kind: "replay"; response: Response }
  | { kind: "refuse"; error: KitError }
  | {
      kind: "run";
      /**
       * Records the answer of the attempt (`record` false: forgets the key); returns the Response to
       * send. A JSON answer is kept at once; an event stream is copied as it is sent and kept at its end.
       */
      finish(response: Response, record: boolean): Promise<Response>;
      /** The attempt did not complete: forget the key so a retry runs. */
      release(): void;
    };

export class IdempotencyCache {
  readonly #entries = new Map<string, Entry>();
  readonly #windowMs: number;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: IdempotencyOptions = {}, now: () => number = Date.now) {
    this.#windowMs = options.windowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS;
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async claim(request: Request, key: string, body: Uint8Array): Promise<Claim> {
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      return refuse(
        400,
        `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long.`,
        "invalid_idempotency_key",
      );
    }
    // Scoped to the credential: another caller's identical key is another request.
    const credential = `${request.headers.get("authorization") ?? ""}\n${request.headers.get("api-key") ?? ""}`;
    const id = await digest(new TextEncoder().encode(`${credential}\n${key}`));
    const fingerprint = await digest(
      joined([new TextEncoder().encode(`${new URL(request.url).pathname}\n`), body]),
    );
    this.#expire();
    const existing = this.#entries.get(id);
    if (existing !== undefined) {
      if (existing.fingerprint !== fingerprint) {
        return refuse(
          422,
          "This Idempotency-Key was already used with a different request body; use a new key for a new request.",
          "idempotency_key_reused",
        );
      }
      if (existing.answer === undefined) {
        return refuse(
          409,
          "A request with this Idempotency-Key is still running; retry after it has finished.",
          "idempotency_request_in_progress",
        );
      }
      if (existing.answer === null) {
        return refuse(
          409,
          "A request with this Idempotency-Key already ran, but its answer was too large to keep for a replay.",
          "idempotency_result_unavailable",
        );
      }
      return { kind: "replay", response: replay(existing.answer) };
    }
    const entry: Entry = { fingerprint, createdAt: this.#now(), answer: undefined, bytes: 0 };
    this.#entries.set(id, entry);
    this.#evict();
    const release = () => {
      if (this.#entries.get(id) === entry) this.#entries.delete(id);
    };
    const keep = (answer: Recorded | null) => {
      if (this.#entries.get(id) !== entry) return; // forgotten meanwhile (evicted)
      if (answer === null || answer.body.byteLength > this.#maxBytes) {
        entry.answer = null;
        return;
      }
      entry.answer = answer;
      entry.bytes = answer.body.byteLength;
      this.#bytes += entry.bytes;
      this.#evict();
    };
    return {
      kind: "run",
      release,
      finish: async (response, record) => {
        if (!record) {
          release();
          return response;
        }
        const contentType = response.headers.get("content-type") ?? "application/json";
        if (contentType.startsWith("text/event-stream"))
          return recording(response, keep, release, this.#maxBytes);
        // A complete answer is kept at once: the client leaving while it is sent does not undo the run.
        const body = new Uint8Array(await response.arrayBuffer());
        keep({ status: response.status, contentType, body });
        return new Response(body.slice(), { status: response.status, headers: response.headers });
      },
    };
  }

  #delete(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
  }

  #expire(): void {
    const cutoff = this.#now() - this.#windowMs;
    // Insertion order is creation order, so the expired entries are at the front.
    for (const [id, entry] of this.#entries) {
      if (entry.createdAt > cutoff) break;
      this.#delete(id, entry);
    }
  }

  #evict(): void {
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#delete(id, entry);
    }
  }
}

function refuse(status: number, message: string, code: string): Claim {
  return { kind: "refuse", error: kitError(status, "invalid_request", message, { code }) };
}

function replay(answer: Recorded): Response {
  return new Response(answer.body.slice(), {
    status: answer.status,
    headers: { "content-type": answer.contentType, "idempotent-replayed": "true" },
  });
}

/**
 * The same Response, its body passed through while a copy is kept; recorded once the body has been
 * sent to the end, released when it is cancelled (the client left) or fails. A body over `limit` stops
 * being copied and is recorded as unavailable.
 */
function recording(
  response: Response,
  keep: (answer: Recorded | null) => void,
  release: () => void,
  limit: number,
): Response {
  const source = response.body;
  const contentType = response.headers.get("content-type") ?? "application/json";
  if (source === null) {
    keep({ status: response.status, contentType, body: new Uint8Array(0) });
    return response;
  }
  const reader = source.getReader();
  let chunks: Uint8Array[] | null = [];
  let size = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (error) {
        release();
        controller.error(error);
        return;
      }
      if (step.done) {
        keep(chunks === null ? null : { status: response.status, contentType, body: joined(chunks) });
        controller.close();
        return;
      }
      size += step.value.byteLength;
      if (chunks !== null) {
        if (size > limit) chunks = null;
        else chunks.push(step.value);
      }
      controller.enqueue(step.value);
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

async function digest(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  let hex = "";
  for (const byte of hash) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

const joined = (parts: Uint8Array[]): Uint8Array =>
  concatBytes(
    parts,
    parts.reduce((size, part) => size + part.byteLength, 0),
  );
