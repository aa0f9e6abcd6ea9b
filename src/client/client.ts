/** `new OpenResponses(options)`: the client for any Open Responses server. */

import { normalizeBaseURL } from "../core/base-url.js";
import { readEnv } from "../core/env.js";
import { createLogger, isLogLevel, type Logger, type LogLevel } from "../core/logger.js";
import {
  type ApiKeySource,
  type ClientOptions,
  DEFAULT_BASE_URL,
  DEFAULT_CLIENT_MAX_BODY_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type FetchLike,
  type HeaderValues,
} from "../core/options.js";
import { DEFAULT_RETRY_TIMING } from "../core/retry.js";
import { Transport } from "../core/transport.js";
import { OpenResponsesError } from "../errors.js";
import { registerSecret } from "../internal/redact.js";
import { DEFAULT_MAX_EVENT_SIZE } from "../streaming/sse-decoder.js";
import { Responses } from "./responses.js";

/** Extra client-level settings beyond the transport's. */
export interface OpenResponsesOptions extends ClientOptions {
  /** Used when a request body has no `model`. Falls back to `OPENRESPONSES_MODEL`. */
  model?: string;
}

// `sig` covers `signature` too.
const SENSITIVE_NAME = /(authorization|api[-_]?key|token|secret|sig|password)/i;

/**
 * The client for any Open Responses server. Options default from the environment
 * (`OPENRESPONSES_BASE_URL`, `OPENRESPONSES_API_KEY`, ...); see the client guide for each.
 *
 * @example
 * ```ts
 * const client = new OpenResponses({ baseURL: "http://localhost:8080/v1" });
 * const response = await client.responses.create({ model: "my-model", input: "Hi" });
 * console.log(response.output_text);
 * ```
 */
export class OpenResponses {
  // Declared, not defined: the constructor sets them all (in one `Object.assign`), and a field list would
  // only repeat their names in the bundle.
  /** The resolved base URL (see the base URL rule). */
  declare readonly baseURL: string;
  /** Milliseconds without progress (no byte of a body, no answer) before a request fails. */
  declare readonly timeout: number;
  /** Milliseconds for a whole call, streams included (`Infinity`: no total limit). */
  declare readonly totalTimeout: number;
  /** The most a streamed response may carry, in bytes. */
  declare readonly maxResponseBytes: number;
  /** The most a JSON answer's body may carry, in bytes. */
  declare readonly maxBodyBytes: number;
  /** The largest single event a stream accepts (SSE event or WebSocket message). */
  declare readonly maxEventBytes: number;
  /** Retries of a failed request (connection errors, 408, 409, 429, 5xx). */
  declare readonly maxRetries: number;
  /** Whether streams throw a `ProtocolError` at the first violation instead of recording it. */
  declare readonly strict: boolean;
  /** The model used when a request body has none. */
  declare readonly model: string | undefined;
  /** Where the client logs (with secrets redacted). */
  declare readonly logger: Logger;
  /** The least severe level logged. */
  declare readonly logLevel: LogLevel;
  /**
   * The HTTP transport; `responses.connect()` takes its credentials and headers from it too.
   * @internal
   */
  declare readonly transport: Transport;
  /** `create`, `stream`, `parse`, `runTools`, `compact`, `connect` and the stored-response methods. */
  declare readonly responses: Responses;
  // Kept privately so `withOptions` can derive a client without the key ever being a public field.
  readonly #options: OpenResponsesOptions;

  constructor(options: OpenResponsesOptions = {}) {
    this.#options = { ...options };
    // OPENAI_BASE_URL / OPENAI_API_KEY are the `openai` SDK's settings: honoured as fallbacks, but the key
    // only ever goes to OpenAI (or to the OPENAI_BASE_URL it was set next to), never to another server.
    const ownBase = options.baseURL ?? readEnv("OPENRESPONSES_BASE_URL");
    const openAIBase = ownBase == null ? readEnv("OPENAI_BASE_URL") : undefined;
    const baseURL = normalizeBaseURL(ownBase ?? openAIBase ?? DEFAULT_BASE_URL);
    const parsedBase = new URL(baseURL);
    // OpenAI's own API host (the default base URL), where a request without a key can only fail. A parsed
    // URL's host name is lower case already.
    const toOpenAI = parsedBase.protocol === "https:" && parsedBase.hostname === "api.openai.com";
    const envLevel = readEnv("OPENRESPONSES_LOG");
    const logLevel = options.logLevel ?? (isLogLevel(envLevel) ? envLevel : "warn");
    // What the client shows and the transport uses alike.
    const shared = {
      baseURL,
      timeout: checkNumber(options.timeout, DEFAULT_TIMEOUT_MS, "timeout", 0),
      totalTimeout: checkNumber(options.totalTimeout, Number.POSITIVE_INFINITY, "totalTimeout"),
      maxResponseBytes: checkNumber(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, "maxResponseBytes"),
      maxBodyBytes: checkNumber(options.maxBodyBytes, DEFAULT_CLIENT_MAX_BODY_BYTES, "maxBodyBytes"),
      maxEventBytes: checkNumber(options.maxEventBytes, DEFAULT_MAX_EVENT_SIZE, "maxEventBytes"),
      maxRetries: Math.floor(checkNumber(options.maxRetries, DEFAULT_MAX_RETRIES, "maxRetries", 0)),
      logger: createLogger(logLevel, options.logger ?? console),
    };
    Object.assign(this, shared, {
      strict: options.strict ?? false,
      model: options.model ?? readEnv("OPENRESPONSES_MODEL"),
      logLevel,
    });

    const apiKey: ApiKeySource | null =
      options.apiKey ??
      readEnv("OPENRESPONSES_API_KEY") ??
      (openAIBase !== undefined || toOpenAI ? readEnv("OPENAI_API_KEY") : undefined) ??
      null;
    const authHeader = options.authHeader ?? "Authorization";
    const authScheme =
      options.authScheme === undefined
        ? authHeader.toLowerCase() === "authorization"
          ? "Bearer"
          : ""
        : options.authScheme;
    const defaultHeaders: HeaderValues = { ...options.defaultHeaders };
    const defaultQuery = { ...options.defaultQuery };
    const secretHeaders = new Set(
      ["authorization", authHeader, ...(options.secretHeaders ?? [])].map((name) => name.toLowerCase()),
    );
    registerSensitiveValues(defaultHeaders, secretHeaders);
    registerSensitiveValues(defaultQuery);
    registerSensitiveValues(Object.fromEntries(parsedBase.searchParams));
    if (
      apiKey === null &&
      toOpenAI &&
      !Object.entries(defaultHeaders).some(
        ([name, value]) => name.toLowerCase() === authHeader.toLowerCase() && typeof value === "string",
      )
    ) {
      // OpenAI answers every unauthenticated request with a 401: say what is missing before sending one.
      throw new OpenResponsesError(
        `No API key for ${baseURL}: pass \`apiKey\` or set OPENRESPONSES_API_KEY (or OPENAI_API_KEY); ` +
          "for another server, set `baseURL`.",
      );
    }

    const fetchImpl = options.fetch ?? defaultFetch();
    const transport = new Transport(
      {
        ...shared,
        authHeader,
        authScheme: authScheme ?? "",
        defaultHeaders,
        defaultQuery,
        fetch: fetchImpl,
        ...(options.fetchOptions ? { fetchOptions: { ...options.fetchOptions } } : {}),
        secretHeaders,
        retryTiming: { ...DEFAULT_RETRY_TIMING, ...options.retryTiming },
      },
      apiKey,
    );
    this.transport = transport;
    this.responses = new Responses(this);
  }

  /** A new client with these options laid over this one's (same key unless replaced). */
  withOptions(options: Partial<OpenResponsesOptions>): OpenResponses {
    return new OpenResponses({ ...this.#options, ...options });
  }
}

/** A number option: `fallback` when absent, else a number above `min` (or equal to it, when given). */
function checkNumber(value: number | undefined, fallback: number, name: string, min?: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || (min === undefined ? value <= 0 : value < min)) {
    throw new TypeError(
      `OpenResponses: \`${name}\` must be a ${min === undefined ? "positive" : "non-negative"} number, got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * Values of headers/query parameters named like credentials (or listed in `secretHeaders`) are scrubbed
 * from errors and logs too.
 */
function registerSensitiveValues(
  values: Record<string, string | null | undefined>,
  secretNames?: ReadonlySet<string>,
): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== "string") continue;
    if (!SENSITIVE_NAME.test(name) && !secretNames?.has(name.toLowerCase())) continue;
    registerSecret(value);
    registerSecret(value.replace(/^\s*(Bearer|Basic|Token)\s+/i, ""));
  }
}

function defaultFetch(): FetchLike {
  const f = (globalThis as { fetch?: typeof fetch }).fetch;
  if (typeof f !== "function") {
    return () => Promise.reject(new TypeError("No global fetch here: pass the `fetch` option."));
  }
  // Called unbound, some runtimes' fetch throws "Illegal invocation".
  return (url, init) => f.call(globalThis, url, init);
}
