/**
 * Credential redaction, written once: the client's errors and logger, the kit's wire errors and
 * `check`'s findings and recordings all scrub secrets the same way. One list of secret header names, one
 * deep redactor, one depth limit. Private: no entry re-exports it.
 */

/** Header (and log field) names that always carry a credential, compared case-insensitively. */
const SECRET_HEADER_NAMES = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key)$/i;

/** Parts of a header name that mark a credential-bearing header (`x-goog-api-key`, `x-auth-token`...). */
const CREDENTIAL_NAME_PART = /api[-_]?key|token|secret|password|signature|credential/i;

/**
 * True for a header whose value is a credential: one of the names above, or a name containing a
 * credential word. Such headers are never logged, recorded, or sent to another origin.
 */
export function isSecretHeaderName(name: string): boolean {
  return SECRET_HEADER_NAMES.test(name) || CREDENTIAL_NAME_PART.test(name);
}

const SECRET_PATTERNS: RegExp[] = [
  /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{4,}/gi,
  /\b(sk|pk|rk|hf|or|gsk|xai)[-_][A-Za-z0-9._-]{8,}/g,
];

const registeredSecrets = new Set<string>();

/**
 * Registers a credential so that it is scrubbed from every later error message and log line, even when
 * it does not look like a key (a custom gateway token, say). The client registers the keys it resolves.
 */
export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= 4) registeredSecrets.add(secret);
}

/** Replaces anything that looks like, or is known to be, a credential with `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of registeredSecrets) {
    if (out.includes(secret)) out = out.split(secret).join("[redacted]");
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, prefix: string) =>
      /^(Bearer|Basic|Token)$/i.test(prefix) ? `${prefix} [redacted]` : "[redacted]",
    );
  }
  return out;
}

/**
 * A copy of a low-level error with its message and stack redacted, for use as a `cause`: fetch errors may
 * quote the URL (whose query may hold a key), and JSON.parse quotes the text it could not parse.
 */
export function redactError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === "string" ? redactSecrets(error) : error;
  const copy = new Error(redactSecrets(error.message));
  copy.name = error.name;
  copy.stack = redactSecrets(error.stack ?? `${error.name}: ${error.message}`);
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) (copy as { code?: unknown }).code = code;
  if (depth < 3 && error.cause !== undefined) copy.cause = redactError(error.cause, depth + 1);
  return copy;
}

/** How deep `redactDeep` goes; anything nested deeper is cut (a hostile body, not a response). */
export const MAX_REDACT_DEPTH = 64;

export interface RedactOptions {
  /** Also replace the value of every field named like a secret header (`authorization`...). */
  maskSecretKeys?: boolean;
}

/**
 * A copy of a value (an error body, a partial response, a logged object) with every string redacted.
 * Copy on write: a value holding nothing to redact comes back as the same object, so the common case
 * allocates nothing. Nesting deeper than MAX_REDACT_DEPTH is cut and a cycle is cut where it closes, so
 * neither a hostile body nor a logged object that refers to itself can hang it.
 */
export function redactDeep(value: unknown, options: RedactOptions = {}): unknown {
  return redactAt(value, options.maskSecretKeys === true, 0, []);
}

function redactAt(value: unknown, maskKeys: boolean, depth: number, ancestors: object[]): unknown {
  if (typeof value === "string") return redactSecrets(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_REDACT_DEPTH) return "[nested too deep]";
  if (ancestors.includes(value)) return "[circular]";
  if (value instanceof Error) return redactError(value);
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (let index = 0; index < value.length; index++) {
        const entry: unknown = value[index];
        const redacted = redactAt(entry, maskKeys, depth + 1, ancestors);
        if (redacted !== entry && copy === null) copy = value.slice(0, index);
        if (copy !== null) copy.push(redacted);
      }
      return copy ?? value;
    }
    const record = value as Record<string, unknown>;
    let copy: Record<string, unknown> | null = null;
    const keys = Object.keys(record);
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      const entry = record[key];
      const redacted =
        maskKeys && SECRET_HEADER_NAMES.test(key)
          ? "[redacted]"
          : redactAt(entry, maskKeys, depth + 1, ancestors);
      if (redacted !== entry && copy === null) {
        copy = {};
        for (let before = 0; before < index; before++) {
          const earlier = keys[before] as string;
          defineData(copy, earlier, record[earlier]);
        }
      }
      if (copy !== null) defineData(copy, key, redacted);
    }
    return copy ?? value;
  } finally {
    ancestors.pop();
  }
}

/** An own property even for the key `__proto__` (which an assignment would turn into a prototype change). */
function defineData(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
