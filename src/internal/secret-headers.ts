/**
 * Which headers carry a credential, for the code that must leave them out: a redirect to another origin
 * (`core/redirects.ts`) and `check`'s recordings. A file of its own, apart from `redact.ts`, because the
 * client loads a redirect's handling only when one arrives: a bundle of the client carries this only then.
 */

import { SECRET_HEADER_NAMES } from "./redact.js";

/** Parts of a header name that mark a credential-bearing header (`x-goog-api-key`, `x-auth-token`...). */
const CREDENTIAL_NAME_PART = /api[-_]?key|token|secret|password|signature|credential/i;

/**
 * True for a header whose value is a credential: one of the names that always carry one
 * (`SECRET_HEADER_NAMES`), or a name containing a credential word. Such headers are never logged,
 * recorded, or sent to another origin.
 */
export function isSecretHeaderName(name: string): boolean {
  return SECRET_HEADER_NAMES.test(name) || CREDENTIAL_NAME_PART.test(name);
}
