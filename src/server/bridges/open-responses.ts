/**
 * `openResponsesModel`: an upstream that already speaks Open Responses but keeps no state (Ollama,
 * Hugging Face's responses.js, OpenRouter, `transformers serve`, a gateway). Each turn sends the full
 * context with `store: false`, so the kit's `previous_response_id`, `store`, `item_reference`, WebSocket
 * mode and compaction work in front of it; its stream is re-emitted through the kit's writer, which
 * repairs framing, `.done` events and sequence numbers.
 */

import type { Model, ModelPart, ModelRequest } from "../model.js";
import { toResponsesRequest } from "./open-responses/request.js";
import { ResponsesStreamMapper } from "./open-responses/stream.js";
import { streamUpstream } from "./stream.js";
import { bearerAuth, joinURL, type UpstreamOptions, type UpstreamTarget } from "./upstream.js";
import { upstreamStreamError } from "./upstream-errors.js";

export interface OpenResponsesModelOptions extends UpstreamOptions {
  /** The server's base URL, the part before `/responses` (`http://127.0.0.1:11434/v1` for Ollama). */
  baseURL: string;
  /** The upstream model for every request, whatever the request names; default the request's. */
  model?: string;
  /** The upstream's name in error messages. Default "the Open Responses upstream". */
  name?: string;
}

/**
 * A `Model` that answers through an Open Responses server that keeps no state: the kit sends it the
 * whole context each turn and re-emits its stream through the kit's own writer.
 *
 * @example
 * import { createResponsesHandler, openResponsesModel } from "openresponses/server";
 * const handler = createResponsesHandler({
 *   model: openResponsesModel({ baseURL: "http://127.0.0.1:11434/v1", model: "gpt-oss:20b" }),
 * });
 */
export function openResponsesModel(options: OpenResponsesModelOptions): Model {
  if (typeof options?.baseURL !== "string" || options.baseURL === "") {
    throw new TypeError("openResponsesModel needs a baseURL (the part before /responses).");
  }
  const upstream = options.name ?? "the Open Responses upstream";
  const target: UpstreamTarget = { name: upstream, authHeaders: bearerAuth };
  const url = joinURL(options.baseURL, "responses");
  const settings = { upstream, model: options.model };
  const model = async function* openResponses(request: ModelRequest): AsyncGenerator<ModelPart> {
    const body = toResponsesRequest(request, settings);
    const mapper = new ResponsesStreamMapper(upstream);
    for await (const event of streamUpstream(url, body, options, target, request)) {
      if (event.body === true) {
        yield* mapper.resource(event.data);
        return;
      }
      yield* mapper.event(event.data);
      // The terminal event completes the response (servers may send nothing, or junk, after it).
      if (mapper.finished) break;
    }
    if (!mapper.finished) throw upstreamStreamError(upstream, "ended without a terminal event.");
    yield* mapper.end();
  };
  return Object.assign(model, options.model === undefined ? {} : { defaultModel: options.model });
}
