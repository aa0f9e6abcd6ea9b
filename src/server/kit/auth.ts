/**
 * The optional API-key check. The key may come as `Authorization: Bearer <key>` or `api-key: <key>`.
 * Both sides are hashed (SHA-256, Web Crypto) and the digests compared in constant time, so neither the
 * key's length nor its prefix leaks through timing. The key never appears in a response or a log line.
 */

import { registerSecret } from "../../internal/redact.js";
import { type KitError, kitError } from "./kit-error.js";

export type ApiKeyCheck = (request: Request) => Promise<KitError | null>;

export function createApiKeyCheck(apiKey: string): ApiKeyCheck {
  registerSecret(apiKey);
  const expected = digest(apiKey);
  return async (request) => {
    const presented = presentedKey(request.headers);
    if (presented === null) {
      return kitError(401, "invalid_request", "Missing API key: send `Authorization: Bearer <key>`.", {
        code: "missing_api_key",
      });
    }
    const same = equalBytes(await expected, await digest(presented));
    if (same) return null;
    return kitError(401, "invalid_request", "Incorrect API key provided.", { code: "invalid_api_key" });
  };
}

function presentedKey(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1].trim();
  }
  const header = headers.get("api-key");
  return header && header.trim() !== "" ? header.trim() : null;
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}
