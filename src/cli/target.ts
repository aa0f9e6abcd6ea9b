/**
 * Which server a client command talks to, read the way the library reads it: `--base-url`, else
 * `OPENRESPONSES_BASE_URL`, else `OPENAI_BASE_URL` (the `openai` SDK's variable, which the client also
 * honours), with the client's base-URL rule (a bare origin means `{origin}/v1`). With none of them set,
 * the built-in model runs in-process through the fetch handler (no port, nothing left listening), and the
 * commands say so: a misspelt variable must not quietly turn into answers from the built-in model.
 */

import { OpenResponses } from "../client/index.js";
import { normalizeBaseURL, stripCredentials } from "../core/base-url.js";
import { OpenResponsesError } from "../errors.js";
import { registerSecret } from "../internal/redact.js";
import { createResponsesHandler } from "../server/index.js";
import { MOCK_MODEL_NAME, mockModel } from "../server/mock/index.js";
import type { Model } from "../server/model.js";
import type { OptionSpec } from "./args.js";
import { type Parsed, stringOption, UsageError } from "./args.js";
import { inertText } from "./terminal-text.js";

export const TARGET_OPTIONS: OptionSpec = {
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  model: { type: "string" },
};

/** Option lines for a command's help, in the command's two columns (`width`: the first column). */
export function targetHelp(width: number): string {
  const rows: Array<[string, string]> = [
    ["--base-url <url>", "Server base URL, e.g. http://127.0.0.1:8080/v1; a bare origin gets /v1"],
    ["", "(env OPENRESPONSES_BASE_URL, then OPENAI_BASE_URL). Without one, the"],
    ["", "built-in model answers, in-process."],
    ["--api-key <key>", 'Sent as "Authorization: Bearer <key>" (env OPENRESPONSES_API_KEY;'],
    ["", "OPENAI_API_KEY too, for OpenAI's URL or OPENAI_BASE_URL's)."],
    ["--model <name>", "Model name to request (env OPENRESPONSES_MODEL)."],
  ];
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join("\n");
}

/** The base URL the in-process client uses; never resolved over the network. */
const BUILT_IN_URL = "http://built-in.openresponses.invalid/v1";

export interface ServerSettings {
  /** The normalised base URL, or undefined for the built-in model. */
  baseURL: string | undefined;
  /** Where `baseURL` came from: `--base-url` or the variable's name. */
  baseSource: string | undefined;
  apiKey: string | undefined;
  model: string | undefined;
  /** Set variables that look like a misspelt base-URL variable (`OPENRESPONSE_BASE_URL`). */
  nearMisses: string[];
}

const BASE_SOURCES = ["OPENRESPONSES_BASE_URL", "OPENAI_BASE_URL"] as const;

/** The server settings from the flags and the environment, by the rules in this file's header. */
export function serverSettings(
  values: Parsed["values"],
  env: Record<string, string | undefined>,
): ServerSettings {
  const flag = stringOption(values, "base-url");
  const fromEnv = flag === undefined ? BASE_SOURCES.find((name) => env[name]?.trim()) : undefined;
  const raw = flag ?? (fromEnv === undefined ? undefined : env[fromEnv]);
  const baseSource = flag !== undefined ? "--base-url" : fromEnv;
  let baseURL: string | undefined;
  if (raw !== undefined) {
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(raw.trim())) {
      // user:password in the URL: refused (fetch would not send it), and never repeated back.
      registerSecret(/:\/\/[^:/?#@]*:([^/?#@]*)@/.exec(raw)?.[1]);
      throw new UsageError(
        `${baseSource} (${stripCredentials(raw)}) must not carry user:password; pass the key with --api-key.`,
      );
    }
    try {
      baseURL = normalizeBaseURL(raw);
    } catch (error) {
      if (!(error instanceof OpenResponsesError)) throw error;
      throw new UsageError(`${baseSource}: ${error.message}`);
    }
  }
  // OPENAI_API_KEY goes only where the `openai` SDK would send it: OpenAI, or the OPENAI_BASE_URL beside it.
  const forOpenAI =
    baseURL !== undefined && (baseSource === "OPENAI_BASE_URL" || new URL(baseURL).host === "api.openai.com");
  const apiKey =
    stringOption(values, "api-key") ??
    (env.OPENRESPONSES_API_KEY || undefined) ??
    (forOpenAI ? env.OPENAI_API_KEY || undefined : undefined);
  registerSecret(apiKey);
  return {
    baseURL,
    baseSource,
    apiKey,
    model: stringOption(values, "model") ?? (env.OPENRESPONSES_MODEL || undefined),
    nearMisses: Object.keys(env).filter(
      (name) =>
        /^OPEN_?(RESPONSES?|AI)_?.*URL/i.test(name) &&
        !(BASE_SOURCES as readonly string[]).includes(name) &&
        Boolean(env[name]?.trim()),
    ),
  };
}

export interface Target {
  client: OpenResponses;
  /** What error lines name: the URL (without credentials), or "the built-in model". */
  label: string;
  builtIn: boolean;
  model: string | undefined;
  settings: ServerSettings;
  /** Set when a provider is reached through a bridge in process (`chat --upstream`). */
  upstream?: true;
  /** What to do about a refused key, for error lines (default: the client's key). */
  keyHint?: string;
}

export interface TargetSettings {
  strict?: boolean;
  /** Milliseconds between the built-in model's parts. */
  delayMs?: number;
  /** A provider to talk to in process through its bridge (`chat --upstream`), instead of a server. */
  upstream?: { model: Model; description: string };
}

export function resolveTarget(
  values: Parsed["values"],
  env: Record<string, string | undefined>,
  options: TargetSettings = {},
): Target {
  const settings = serverSettings(values, env);
  const { baseURL, apiKey, model } = settings;
  const common = { maxRetries: 1, strict: options.strict ?? false, logLevel: "off" as const };
  if (options.upstream !== undefined) {
    // The bridge runs in this process: the client's fetch is the handler, so nothing listens.
    const handler = createResponsesHandler({ model: options.upstream.model });
    const client = new OpenResponses({
      ...common,
      baseURL: BUILT_IN_URL,
      apiKey: null,
      model,
      fetch: (url, init) => handler(new Request(url, init)),
    });
    return {
      client,
      label: options.upstream.description,
      builtIn: false,
      model,
      settings,
      upstream: true,
      keyHint:
        "Set OPENRESPONSES_UPSTREAM_API_KEY, or name the variable that holds the key with --upstream-api-key-env.",
    };
  }
  if (baseURL !== undefined) {
    return {
      client: new OpenResponses({ ...common, baseURL, apiKey: apiKey ?? null, model }),
      // Error lines name the server; never with the user info or query a credential may travel in.
      label: stripCredentials(baseURL),
      builtIn: false,
      model,
      settings,
    };
  }
  const handler = createResponsesHandler({ model: mockModel({ delayMs: options.delayMs ?? 0 }) });
  const client = new OpenResponses({
    ...common,
    baseURL: BUILT_IN_URL,
    apiKey: null,
    model: model ?? MOCK_MODEL_NAME,
    fetch: (url, init) => handler(new Request(url, init)),
  });
  const resolved = model ?? MOCK_MODEL_NAME;
  return { client, label: "the built-in model", builtIn: true, model: resolved, settings };
}

/**
 * One line that says who answers: the server and where its URL came from, or the built-in model and
 * why (naming a variable that looks like a misspelt one).
 */
export function describeTarget(target: Target): string {
  const { settings } = target;
  const model = target.model ? `model ${target.model}` : "the server's default model";
  if (target.upstream) return `Talking to ${target.label} (--upstream, in process), ${model}.`;
  if (!target.builtIn) return `Talking to ${target.label} (${settings.baseSource}), ${model}.`;
  const hint =
    settings.nearMisses.length > 0
      ? ` ${inertText(settings.nearMisses.join(", "))} ${settings.nearMisses.length === 1 ? "is" : "are"} not read: did you mean OPENRESPONSES_BASE_URL?`
      : "";
  return `Talking to the built-in model (${model}, in-process): no --base-url, OPENRESPONSES_BASE_URL or OPENAI_BASE_URL is set.${hint}`;
}
