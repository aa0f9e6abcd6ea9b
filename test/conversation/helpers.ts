/** One server on 127.0.0.1:0 answering HTTP (the kit's handler) and WebSocket mode on the same port. */

import { OpenResponses } from "../../src/client/index.js";
import { createResponsesHandler, type ResponsesHandler } from "../../src/server/kit/handler.js";
import { createMemoryStore, type MemoryResponseStore } from "../../src/server/kit/memory-store.js";
import type { Model } from "../../src/server/model.js";
import { serve } from "../../src/server/node/serve.js";

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
