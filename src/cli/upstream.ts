/**
 * The `--upstream`, `--route`, `--upstream-model`, `--upstream-api-key-env` and
 * `--forward-authorization` flags of `serve` and `chat`: a provider (or several, routed by the request's
 * `model`) behind the kit as its model. Keys come from the environment, never from the command line
 * (where `ps` and shell history would show them): `OPENRESPONSES_UPSTREAM_API_KEY`, or the variable
 * `--upstream-api-key-env` names, else the provider's usual one (`ANTHROPIC_API_KEY`, `GEMINI_API_KEY`).
 */

import { stripCredentials } from "../core/base-url.js";
import { registerSecret } from "../internal/redact.js";
import { routeModels } from "../server/bridges/route.js";
import type { Model } from "../server/model.js";
import { type OptionSpec, type Parsed, stringOption, UsageError } from "./args.js";
import {
  UPSTREAM_KIND_NAMES,
  UPSTREAM_KINDS,
  type UpstreamKind,
  upstreamKeyVariablesHelp,
  upstreamKindsHelp,
} from "./upstream-kinds.js";

export const UPSTREAM_OPTIONS: OptionSpec = {
  upstream: { type: "string" },
  route: { type: "string", multiple: true },
  "route-api-key-env": { type: "string", multiple: true },
  "upstream-model": { type: "string" },
  "upstream-api-key-env": { type: "string" },
  "forward-authorization": { type: "boolean" },
};

export const UPSTREAM_HELP = `  --upstream <kind>:<url>
                    Serve a provider instead of the built-in model; <url> is its base URL
                    (up to the API version, e.g. /v1). The kinds:
${upstreamKindsHelp(22)}
  --upstream-model <name>
                    The upstream model for every request (default: the request's model).
  --upstream-api-key-env <NAME>
                    Read the upstream key from this environment variable (default
                    OPENRESPONSES_UPSTREAM_API_KEY, then the kind's own:
                    ${upstreamKeyVariablesHelp()}).
  --route <pattern>=<kind>:<url>
                    Route requests whose model matches the pattern (* is a wildcard) to that
                    upstream; repeat it; first match wins, --upstream is the last resort.
                    Without a match: 404 model_not_found.
  --route-api-key-env <pattern>=<NAME>
                    The key of that route's upstream (default: the kind's own variable; the
                    --upstream key is never sent to a route).
  --forward-authorization
                    Send the caller's own "Authorization: Bearer" key upstream when it has one.`;

export interface UpstreamSpec {
  kind: string;
  /** The registry's entry for `kind`. */
  upstream: UpstreamKind;
  baseURL: string | undefined;
}

/** `chat:http://host/v1`, `anthropic`, `anthropic:https://…`; the flag names itself in errors. */
export function parseUpstreamSpec(text: string, flag: string): UpstreamSpec {
  const colon = text.indexOf(":");
  const kind = (colon === -1 ? text : text.slice(0, colon)).trim();
  const rest = colon === -1 ? "" : text.slice(colon + 1).trim();
  const upstream = Object.hasOwn(UPSTREAM_KINDS, kind) ? UPSTREAM_KINDS[kind] : undefined;
  if (upstream === undefined) {
    const kinds = UPSTREAM_KIND_NAMES.join(", ");
    throw new UsageError(`${flag} takes <kind>:<url> with kind one of ${kinds} (got "${text}").`);
  }
  if (rest === "") {
    if (upstream.defaultBaseURL === undefined) {
      throw new UsageError(
        `${flag} ${kind} needs the server's base URL, e.g. ${kind}:http://127.0.0.1:11434/v1.`,
      );
    }
    return { kind, upstream, baseURL: undefined };
  }
  let url: URL;
  try {
    url = new URL(rest);
  } catch {
    throw new UsageError(
      `${flag}: "${stripCredentials(rest)}" is not a URL (e.g. ${kind}:http://127.0.0.1:8000/v1).`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`${flag}: the upstream URL must be http or https.`);
  }
  return { kind, upstream, baseURL: rest.replace(/\/+$/, "") };
}

export interface ResolvedUpstream {
  model: Model;
  /** For the start-up line: what is served, without credentials. */
  description: string;
}

/** The model the upstream flags describe, or undefined when none was given. */
export function upstreamFromArgs(
  values: Parsed["values"],
  env: Record<string, string | undefined>,
): ResolvedUpstream | undefined {
  const upstream = stringOption(values, "upstream");
  const routes = (values.route as unknown as string[] | undefined) ?? [];
  const keyEnvName = stringOption(values, "upstream-api-key-env");
  const upstreamModel = stringOption(values, "upstream-model");
  const forward = values["forward-authorization"] === true;
  if (upstream === undefined && routes.length === 0) {
    if (upstreamModel !== undefined || keyEnvName !== undefined || forward) {
      throw new UsageError(
        "--upstream-model, --upstream-api-key-env and --forward-authorization need --upstream or --route.",
      );
    }
    return undefined;
  }
  const routeKeys = parseRouteKeys(values["route-api-key-env"] as unknown as string[] | undefined);
  const table: Record<string, Model> = {};
  const described: string[] = [];
  for (const route of routes) {
    const equals = route.indexOf("=");
    if (equals <= 0) throw new UsageError(`--route takes <pattern>=<kind>:<url> (got "${route}").`);
    const pattern = route.slice(0, equals).trim();
    if (pattern in table) throw new UsageError(`--route ${pattern} is given twice.`);
    const spec = parseUpstreamSpec(route.slice(equals + 1), "--route");
    const keyName = routeKeys.get(pattern);
    routeKeys.delete(pattern);
    const key = resolveKey(spec.upstream, env, keyName, false);
    table[pattern] = build(spec, { key, model: undefined, forward });
    described.push(`${pattern} → ${describe(spec)}`);
  }
  if (routeKeys.size > 0) {
    throw new UsageError(
      `--route-api-key-env names a pattern no --route has: ${[...routeKeys.keys()].join(", ")}.`,
    );
  }
  let single: Model | undefined;
  if (upstream !== undefined) {
    const spec = parseUpstreamSpec(upstream, "--upstream");
    const key = resolveKey(spec.upstream, env, keyEnvName, true);
    single = build(spec, { key, model: upstreamModel, forward });
    described.push(routes.length > 0 ? `* → ${describe(spec)}` : describe(spec));
  } else if (upstreamModel !== undefined || keyEnvName !== undefined) {
    throw new UsageError(
      "--upstream-model and --upstream-api-key-env apply to --upstream; give one, or set keys per route.",
    );
  }
  if (routes.length === 0 && single !== undefined) return { model: single, description: described[0] ?? "" };
  if (single !== undefined && !("*" in table)) table["*"] = single;
  return { model: routeModels(table), description: described.join("; ") };
}

function parseRouteKeys(values: string[] | undefined): Map<string, string> {
  const keys = new Map<string, string>();
  for (const value of values ?? []) {
    const equals = value.indexOf("=");
    if (equals <= 0 || equals === value.length - 1) {
      throw new UsageError(`--route-api-key-env takes <pattern>=<NAME> (got "${value}").`);
    }
    keys.set(value.slice(0, equals).trim(), value.slice(equals + 1).trim());
  }
  return keys;
}

/** The key from the named variable (which must then be set), else the defaults. */
function resolveKey(
  upstream: UpstreamKind,
  env: Record<string, string | undefined>,
  named: string | undefined,
  shared: boolean,
): string | undefined {
  if (named !== undefined) {
    const value = env[named];
    if (!value)
      throw new UsageError(`The environment variable ${named} (named for the upstream key) is not set.`);
    return value;
  }
  if (shared && env.OPENRESPONSES_UPSTREAM_API_KEY) return env.OPENRESPONSES_UPSTREAM_API_KEY;
  return upstream.keyEnv === undefined ? undefined : env[upstream.keyEnv] || undefined;
}

function build(
  spec: UpstreamSpec,
  settings: { key: string | undefined; model: string | undefined; forward: boolean },
): Model {
  registerSecret(settings.key);
  return spec.upstream.create({
    ...(spec.baseURL === undefined ? {} : { baseURL: spec.baseURL }),
    ...(settings.key === undefined ? {} : { apiKey: settings.key }),
    ...(settings.model === undefined ? {} : { model: settings.model }),
    ...(settings.forward ? { forwardAuthorization: true } : {}),
  });
}

function describe(spec: UpstreamSpec): string {
  const where = spec.baseURL ?? spec.upstream.defaultBaseURL ?? "its public API";
  return `the ${spec.upstream.label} upstream at ${stripCredentials(where)}`;
}
