/**
 * Credential redaction, written once: the client's errors and logger, the kit's wire errors and
 * `check`'s findings and recordings all scrub secrets the same way. One list of secret header names, one
 * deep redactor, one depth limit. Private: no entry re-exports it.
 */

/**
 * Header (and log field) names that always carry a credential, compared case-insensitively. Headers
 * named like a credential count too: `isSecretHeaderName` (`secret-headers.ts`).
 */
export const SECRET_HEADER_NAMES =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key)$/i;

/**
 * Credential-shaped text. Each pattern names what a credential looks like, not which word precedes it,
 * so ordinary prose survives ("Token limit exceeded", "the Basic plan"):
 * - a key with a provider prefix (`sk-…`, `hf_…`...);
 * - `Bearer`/`Token` followed by a token-like value (`looksLikeToken`), `Basic` by base64 credentials;
 * - the value of an `Authorization`/`api-key` header quoted in text, when it is token-like;
 * - a long run of token characters mixing upper case, lower case and digits (a JWT, a random key), which
 *   hex ids (`resp_0123…abcd`) and words never do.
 * The first group of each is kept (the scheme or header name), the credential replaced.
 */
const KEY_PREFIX = /\b(?:sk|pk|rk|hf|or|gsk|xai)[-_][A-Za-z0-9._-]{8,8192}/g;
const SCHEME_VALUE = /\b(Bearer|Token)(\s+)([A-Za-z0-9._~+/=-]{8,8192})/gi;
const BASIC_VALUE = /\b(Basic)(\s+)([A-Za-z0-9+/]{8,8192}={0,2})(?![A-Za-z0-9+/=])/gi;
const HEADER_VALUE =
  /\b((?:proxy-)?authorization|x-api-key|api[-_]?key)(["']?\s*[:=]\s*["']?)([A-Za-z0-9._~+/=-]{8,8192})/gi;
const LONG_TOKEN = /(?<![A-Za-z0-9._~+=-])[A-Za-z0-9._~+=-]{32,8192}/g;

/**
 * Random-looking: a digit, a `+`, `/` or `=`, or upper and lower case interleaved twice (base64): two
 * places where a lower-case letter is followed by an upper-case one.
 */
function looksLikeToken(value: string): boolean {
  return /[\d+/=]|[a-z][A-Z][\s\S]*[a-z][A-Z]/.test(value);
}

/**
 * The credentials registered with `registerSecret`, most recent last. Bounded: an `apiKey` function may
 * hand out a fresh token per request, and every one kept would be memory never freed and a slower
 * redaction. The keys in use are the recent ones (each request registers its key again, which makes it
 * the most recent), so the oldest is forgotten first.
 */
const registeredSecrets = new Set<string>();

/** How many registered secrets are kept (the most recently registered ones). */
export const MAX_REGISTERED_SECRETS = 64;

/**
 * Registers a credential so that it is scrubbed from every later error message and log line, even when
 * it does not look like a key (a custom gateway token, say). The client registers the keys it resolves;
 * only the `MAX_REGISTERED_SECRETS` most recently registered are kept.
 */
export function registerSecret(secret: string | undefined | null): void {
  if (!secret || secret.length < 4) return;
  // Deleted first, so that registering a key again makes it the most recent.
  registeredSecrets.delete(secret);
  registeredSecrets.add(secret);
  if (registeredSecrets.size > MAX_REGISTERED_SECRETS) {
    registeredSecrets.delete(registeredSecrets.values().next().value as string);
  }
}

/**
 * Registers a URL's password as written (percent-encoded) and as it decodes: either form may be quoted.
 * A malformed `%` sequence has no decoded form, and must not make the caller fail with a bare `URIError`.
 */
export function registerURLPassword(password: string): void {
  registerSecret(password);
  try {
    registerSecret(decodeURIComponent(password));
  } catch {
    // Nothing more to register: the raw form is.
  }
}

/** How many secrets are registered now (for tests of the bound). */
export function registeredSecretCount(): number {
  return registeredSecrets.size;
}

/** Replaces anything that looks like, or is known to be, a credential with `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of registeredSecrets) out = out.replaceAll(secret, "[redacted]");
  out = out.replace(KEY_PREFIX, "[redacted]");
  // After `Bearer` (six letters, where `Token` has five) any token-like run is a credential.
  out = replaceWhere(out, SCHEME_VALUE, (found) => looksLikeToken(found[3]) || found[1].length > 5);
  // Base64 credentials (`user:pass` encoded): whole groups of four, and not a plain lower-case word.
  out = replaceWhere(out, BASIC_VALUE, ([, , , value]) => value.length % 4 === 0 && !/^[a-z]+$/.test(value));
  out = replaceWhere(out, HEADER_VALUE, (found) => looksLikeToken(found[3]));
  // A long token (a JWT, a key without a known prefix): all three of upper case, lower case and digits.
  return replaceWhere(
    out,
    LONG_TOKEN,
    ([token]) => /[A-Z]/.test(token) && /[a-z]/.test(token) && /\d/.test(token),
  );
}

/** A match of one of the patterns above: the whole match, then its (up to) three groups. */
type Groups = [string, string, string, string];

/**
 * `text` with each match of the global `pattern` that `redact` accepts replaced (its first two groups,
 * the scheme or header name and what follows it, kept), and the others kept. Unlike
 * `String.prototype.replace`, a text with nothing to replace comes back as itself: a large partial
 * response full of long plain runs is not copied once per pattern.
 */
function replaceWhere(text: string, pattern: RegExp, redact: (found: Groups) => boolean): string {
  pattern.lastIndex = 0;
  let parts: string[] | null = null;
  let copied = 0;
  for (let found = pattern.exec(text); found !== null; found = pattern.exec(text)) {
    if (!redact(found as unknown as Groups)) continue;
    parts ??= [];
    parts.push(text.slice(copied, found.index), `${found[1] ?? ""}${found[2] ?? ""}[redacted]`);
    copied = found.index + found[0].length;
  }
  pattern.lastIndex = 0;
  if (parts === null) return text;
  parts.push(text.slice(copied));
  return parts.join("");
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
        copy?.push(redacted);
      }
      return copy ?? value;
    }
    const record = value as Record<string, unknown>;
    // The copy's entries, from the first one that changed (with the ones before it, as they were).
    let copy: Array<[string, unknown]> | null = null;
    const keys = Object.keys(record);
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      const entry = record[key];
      const redacted =
        maskKeys && SECRET_HEADER_NAMES.test(key)
          ? "[redacted]"
          : redactAt(entry, maskKeys, depth + 1, ancestors);
      if (redacted !== entry && copy === null)
        copy = keys.slice(0, index).map((earlier) => [earlier, record[earlier]]);
      copy?.push([key, redacted]);
    }
    // `fromEntries` defines own data properties, even for the key `__proto__` (which an assignment would
    // turn into a prototype change).
    return copy ? Object.fromEntries(copy) : value;
  } finally {
    ancestors.pop();
  }
}
