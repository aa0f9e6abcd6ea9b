/**
 * Which server a client command talks to: `--base-url` or `OPENRESPONSES_BASE_URL` when set, else the
 * built-in model, run in-process through the fetch handler (no port, nothing left listening).
 */

import { OpenResponses } from "../client/index.js";
import { stripCredentials } from "../core/base-url.js";
import { registerSecret } from "../internal/redact.js";
import { createResponsesHandler } from "../server/index.js";
import { MOCK_MODEL_NAME, mockModel } from "../server/mock/index.js";
import type { OptionSpec } from "./args.js";
import { type Parsed, stringOption } from "./args.js";

export const TARGET_OPTIONS: OptionSpec = {
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  model: { type: "string" },
};

export const TARGET_HELP = `  --base-url <url>   Server base URL, e.g. http://127.0.0.1:8080/v1 (env OPENRESPONSES_BASE_URL).
                     Without one, the built-in model runs in-process.
  --api-key <key>    Sent as "Authorization: Bearer <key>" (env OPENRESPONSES_API_KEY).
  --model <name>     Model name to request (env OPENRESPONSES_MODEL).`;

/** The base URL the in-process client uses; never resolved over the network. */
const BUILT_IN_URL = "http://built-in.openresponses.invalid/v1";

export interface Target {
  client: OpenResponses;
  /** What error lines name: the URL, or "the built-in model". */
  label: string;
  builtIn: boolean;
  model: string | undefined;
}

export interface TargetSettings {
  strict?: boolean;
  /** Milliseconds between the built-in model's parts. */
  delayMs?: number;
}

export function resolveTarget(
  values: Parsed["values"],
  env: Record<string, string | undefined>,
  settings: TargetSettings = {},
): Target {
  const baseURL = stringOption(values, "base-url") ?? (env.OPENRESPONSES_BASE_URL || undefined);
  const apiKey = stringOption(values, "api-key") ?? (env.OPENRESPONSES_API_KEY || undefined);
  const model = stringOption(values, "model") ?? (env.OPENRESPONSES_MODEL || undefined);
  registerSecret(apiKey);
  const common = { maxRetries: 1, strict: settings.strict ?? false, logLevel: "off" as const };

  if (baseURL) {
    return {
      client: new OpenResponses({ ...common, baseURL, apiKey: apiKey ?? null, model }),
      // Error lines name the server; never with the user info or query a credential may travel in.
      label: stripCredentials(baseURL),
      builtIn: false,
      model,
    };
  }
  const handler = createResponsesHandler({ model: mockModel({ delayMs: settings.delayMs ?? 0 }) });
  const client = new OpenResponses({
    ...common,
    baseURL: BUILT_IN_URL,
    apiKey: null,
    model: model ?? MOCK_MODEL_NAME,
    fetch: (url, init) => handler(new Request(url, init)),
  });
  return { client, label: "the built-in model", builtIn: true, model: model ?? MOCK_MODEL_NAME };
}
