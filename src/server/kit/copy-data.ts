/**
 * A deep copy of plain data: what `structuredClone` gives for the JSON-like values a response snapshot
 * holds (objects, arrays, strings, numbers, booleans, null, undefined), at a fraction of its cost, which
 * is paid on every streamed item and stored response. Anything else — a Date, a Map, a class instance, a
 * function, a cycle or a structure nested past `MAX_DEPTH` — is left to `structuredClone` itself, so the
 * result (or the DataCloneError) is the same as before. Own `__proto__` keys (JSON.parse makes them) are
 * copied as own data properties, never as the prototype.
 */

const MAX_DEPTH = 256;

/** Thrown inside the copy when part of the value needs `structuredClone`; never leaves this module. */
const NOT_PLAIN = Symbol("not plain data");

export function copyData<T>(value: T): T {
  if (typeof value !== "object" || value === null) return passThrough(value);
  try {
    return copy(value, 0) as T;
  } catch (error) {
    if (error === NOT_PLAIN) return structuredClone(value);
    throw error;
  }
}

function passThrough<T>(value: T): T {
  // structuredClone throws on these; keep that answer rather than passing them on silently.
  if (typeof value === "function" || typeof value === "symbol") return structuredClone(value);
  return value;
}

function copy(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null) {
    if (typeof value === "function" || typeof value === "symbol") throw NOT_PLAIN;
    return value;
  }
  // A cycle, or data deeper than any request may nest: structuredClone handles both.
  if (depth > MAX_DEPTH) throw NOT_PLAIN;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw NOT_PLAIN;
    const length = value.length;
    const out = new Array(length);
    for (let index = 0; index < length; index++) {
      // Holes stay holes, as structuredClone keeps them.
      if (index in value) out[index] = copy(value[index], depth + 1);
    }
    return out;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key], depth + 1);
    if (key === "__proto__") {
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = item;
    }
  }
  return out;
}
