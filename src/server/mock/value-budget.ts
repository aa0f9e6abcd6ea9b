/**
 * What one schema-built value may cost. The schema comes from the request (a tool's `parameters`,
 * `text.format`), and `$ref` lets a small schema name a large part of itself many times: every property
 * of a 200 KB schema pointing at one 10,000-option enum, or at `{ minLength: 1e9 }`, would otherwise cost
 * seconds of synchronous work (no other client served meanwhile) or megabytes of output. So work and
 * output are both counted against bounds that grow with the request's size, never past a fixed ceiling,
 * and against `max_output_tokens` when the request sets it.
 */

/** Output characters a value may always have, whatever the request's size. */
export const BASE_VALUE_CHARS = 16 * 1024;
/** Output characters per character of the request (its schema and the words the value is built from). */
export const VALUE_CHARS_PER_REQUEST_CHAR = 4;
/** The ceiling on a value's output, in characters. */
export const MAX_VALUE_CHARS = 1024 * 1024;
/**
 * The ceiling on a value's work, in units of about one schema node visited or 64 characters of the
 * user's words scanned: a few tens of milliseconds of synchronous work at most.
 */
export const MAX_VALUE_WORK = 200_000;
/** Work a value may always have, and work per character of the request. */
const BASE_VALUE_WORK = 20_000;
const VALUE_WORK_PER_REQUEST_CHAR = 2;
/** JSON is streamed in 12-character chunks of one token each (see `model.ts`). */
export const JSON_CHARS_PER_TOKEN = 12;

export interface ValueLimits {
  /** Output characters (about the JSON length of the value). */
  maxChars: number;
  /** Work units (see `MAX_VALUE_WORK`). */
  maxWork: number;
}

/**
 * The limits for a value built from a schema of `schemaChars` JSON characters and `wordChars` of words,
 * under an optional `max_output_tokens`: no more than the response could stream anyway.
 */
export function valueLimits(schemaChars: number, wordChars: number, maxOutputTokens?: number): ValueLimits {
  const requestChars = schemaChars + wordChars;
  let maxChars = Math.min(MAX_VALUE_CHARS, BASE_VALUE_CHARS + VALUE_CHARS_PER_REQUEST_CHAR * requestChars);
  if (maxOutputTokens !== undefined && Number.isFinite(maxOutputTokens) && maxOutputTokens >= 0) {
    maxChars = Math.min(maxChars, (Math.floor(maxOutputTokens) + 1) * JSON_CHARS_PER_TOKEN);
  }
  const maxWork = Math.min(MAX_VALUE_WORK, BASE_VALUE_WORK + VALUE_WORK_PER_REQUEST_CHAR * requestChars);
  return { maxChars, maxWork };
}

/** The JSON length of a schema; 0 when it cannot be serialised (a cycle), which leaves the base limits. */
export function schemaChars(schema: unknown): number {
  try {
    return JSON.stringify(schema)?.length ?? 0;
  } catch {
    return 0;
  }
}

/** The running account of one value: work done and characters produced, against its limits. */
export class ValueBudget {
  #work: number;
  #chars: number;
  /** JSON sizes of the objects the schema hands out as values (`enum`, `const`, `default`), once each. */
  readonly #sizes = new WeakMap<object, number>();

  constructor(limits: ValueLimits) {
    this.#work = limits.maxWork;
    this.#chars = limits.maxChars;
  }

  /** Takes `units` of work; false (and nothing taken) when the budget cannot cover them. */
  work(units = 1): boolean {
    if (this.#work < units) {
      this.#work = 0;
      return false;
    }
    this.#work -= units;
    return true;
  }

  /** Work that scanning `text` once costs. */
  scanCost(text: string): number {
    return 1 + (text.length >> 6);
  }

  get exhausted(): boolean {
    return this.#work <= 0 || this.#chars <= 0;
  }

  /** Output characters still available. */
  get charsLeft(): number {
    return Math.max(0, this.#chars);
  }

  /** Counts `count` output characters; false (and nothing counted) when they do not fit. */
  chars(count: number): boolean {
    if (count > this.#chars) return false;
    this.#chars -= count;
    return true;
  }

  /** Counts a value given by the schema itself (an enum option, `const`, `default`); false if too big. */
  value(value: unknown): boolean {
    return this.chars(this.sizeOf(value));
  }

  /** About the JSON length of `value`; each object is serialised once however often it is used. */
  sizeOf(value: unknown): number {
    if (typeof value === "string") return value.length + 2;
    if (typeof value !== "object" || value === null) return String(value).length;
    const known = this.#sizes.get(value);
    if (known !== undefined) return known;
    let size: number;
    try {
      size = JSON.stringify(value)?.length ?? 4;
    } catch {
      size = Number.POSITIVE_INFINITY;
    }
    this.work(1 + (Number.isFinite(size) ? size >> 6 : 0));
    this.#sizes.set(value, size);
    return size;
  }
}
