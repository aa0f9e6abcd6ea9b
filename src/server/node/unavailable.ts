/**
 * The Node adapter's place in the portable build of `openresponses/server` (Workers, edge runtimes,
 * browsers, bundles for them): the same names and types, so code type-checks the same everywhere, but
 * each one throws a clear error instead of importing `node:http` and `ws`. Importing only types from the
 * real modules keeps them out of this build.
 */

import type * as node from "./index.js";

function unavailable(name: string): Error {
  return new Error(
    `${name}() needs Node's http module, and this is the portable build of "openresponses/server" ` +
      '(chosen by a runtime or bundler that did not set the "node" export condition). ' +
      "Mount createResponsesHandler(...) on this runtime's own server instead (Workers: export " +
      "default { fetch: handler }; Bun.serve({ fetch: handler }); Deno.serve(handler)), or run on Node.",
  );
}

export const serve: typeof node.serve = () => Promise.reject(unavailable("serve"));

export const attachWebSocketMode: typeof node.attachWebSocketMode = () => {
  throw unavailable("attachWebSocketMode");
};

export type {
  NodeHttpServer,
  RunningServer,
  ServeOptions,
  ServeWebSocketOptions,
  UpgradeListener,
  UpgradeServer,
  WebSocketMode,
  WebSocketModeOptions,
} from "./index.js";
