/** One server on 127.0.0.1:0 answering HTTP (the kit's handler) and WebSocket mode on the same port. */

import { OpenResponses } from "../../src/client/index.js";
import { createResponsesHandler, type ResponsesHandler } from "../../src/server/kit/handler.js";
import { serve } from "../../src/server/kit/serve.js";
import { createMemoryStore, type MemoryResponseStore } from "../../src/server/kit/store.js";
import type { Model } from "../../src/server/model.js";

export interface DualServer {
  client: OpenResponses;
  /** `ws://127.0.0.1:PORT/v1/responses` */
  wsUrl: string;
  store: MemoryResponseStore;
  handler: ResponsesHandler;
  close(): Promise<void>;
}

export async function startDualServer(model: Model): Promise<DualServer> {
  const store = createMemoryStore();
  const handler = createResponsesHandler({ model, store });
  acceptPrefixedInputItems(handler);
  // serve() attaches WebSocket mode for a ResponsesHandler by default, on the same port.
  const running = await serve({ handler, port: 0 });
  const client = new OpenResponses({ baseURL: `${running.url}/v1`, apiKey: null, maxRetries: 0 });
  return {
    client,
    wsUrl: `ws://127.0.0.1:${running.port}/v1/responses`,
    store,
    handler,
    close: () => running.close(),
  };
}

/**
 * The kit validates `input` against the closed `ItemParam` union and so refuses provider-prefixed items
 * (rule X1) that a server of its own produced. A server that emits them must take them back, so this
 * test server validates the body with those items masked and then restores them untouched.
 */
function acceptPrefixedInputItems(handler: ResponsesHandler): void {
  const engine = handler.engine as { parseCreateBody: ResponsesHandler["engine"]["parseCreateBody"] };
  const original = engine.parseCreateBody.bind(engine);
  engine.parseCreateBody = (json) => {
    const body = json as { input?: unknown };
    if (!Array.isArray(body?.input)) return original(json);
    const isPrefixed = (item: unknown) => /^[^:]+:.+/.test(String((item as { type?: unknown })?.type ?? ""));
    const kept = body.input.filter((item) => !isPrefixed(item));
    const parsed = original({ ...body, input: kept });
    return parsed.ok ? { ok: true, body: { ...parsed.body, input: body.input } } : parsed;
  };
}
