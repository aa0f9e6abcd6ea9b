/**
 * `anthropicModel()`: a `Model` that answers through Anthropic's Messages API (`POST {baseURL}/v1/messages`
 * with `stream: true`), streaming Claude's answer back as parts as the events arrive. What the kit adds
 * (stored state, `previous_response_id`, WebSocket mode, compaction, lifecycle-correct events) works in
 * front of it like in front of any model. Web standards only.
 */

import type { Model, ModelPart, ModelRequest } from "../../model.js";
import { refuseCommon } from "../context.js";
import { refuser } from "../refuse.js";
import { streamUpstream } from "../stream.js";
import { joinURL, type UpstreamOptions, type UpstreamTarget } from "../upstream.js";
import { upstreamReportedError, upstreamStreamError } from "../upstream-errors.js";
import type { AnthropicModelOptions } from "./options.js";
import { anthropicRequest } from "./request.js";
import { AnthropicStreamMapper } from "./stream.js";
import { messageAsEvents } from "./whole-message.js";

export const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";
export const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

const NAME = "Anthropic";

const TARGET: UpstreamTarget = { name: NAME, authHeaders: (key) => ({ "x-api-key": key }) };

/**
 * A model backed by Anthropic's Messages API.
 *
 * @example
 * const handler = createResponsesHandler({
 *   model: anthropicModel({ apiKey: process.env.ANTHROPIC_API_KEY, model: "claude-sonnet-4-5" }),
 * });
 */
export function anthropicModel(options: AnthropicModelOptions = {}): Model {
  const url = joinURL(options.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL, "v1/messages");
  const upstream: UpstreamOptions = {
    ...options,
    headers: {
      "anthropic-version": options.anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION,
      ...options.headers,
    },
  };
  async function* model(request: ModelRequest): AsyncGenerator<ModelPart, void, undefined> {
    refuseCommon(request, NAME);
    const body = anthropicRequest(request, options, refuser());
    const mapper = new AnthropicStreamMapper((error) => upstreamReportedError(NAME, { error }));
    for await (const event of streamUpstream(url, body, upstream, TARGET, request)) {
      // An upstream (a proxy) that ignored `stream: true` answers with the whole message.
      for (const data of event.body === true ? messageAsEvents(event.data) : [event.data])
        yield* mapper.event(data);
      if (mapper.stopped) return;
    }
    throw upstreamStreamError(NAME, "ended before message_stop.");
  }
  return options.model === undefined ? model : Object.assign(model, { defaultModel: options.model });
}
