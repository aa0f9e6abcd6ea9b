/**
 * `geminiModel()`: a `Model` that answers through the Gemini API's
 * `POST {baseURL}/models/{model}:streamGenerateContent?alt=sse`, streaming the answer back as parts as the
 * chunks arrive. What the kit adds (stored state, `previous_response_id`, WebSocket mode, compaction,
 * lifecycle-correct events) works in front of it like in front of any model. Web standards only.
 */

import type { Model, ModelPart, ModelRequest } from "../../model.js";
import { refuseCommon } from "../context.js";
import { refuser } from "../refuse.js";
import { streamUpstream } from "../stream.js";
import { joinURL, type UpstreamTarget } from "../upstream.js";
import { upstreamReportedError, upstreamStreamError } from "../upstream-errors.js";
import type { GeminiModelOptions } from "./options.js";
import { geminiRequest } from "./request.js";
import { GeminiStreamMapper } from "./stream.js";

/** The Gemini API's public endpoint, with its API version. */
export const DEFAULT_GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

const NAME = "Gemini";

const TARGET: UpstreamTarget = { name: NAME, authHeaders: (key) => ({ "x-goog-api-key": key }) };

/**
 * A model backed by the Gemini API.
 *
 * @example
 * const handler = createResponsesHandler({
 *   model: geminiModel({ apiKey: process.env.GEMINI_API_KEY, model: "gemini-2.5-flash" }),
 * });
 */
export function geminiModel(options: GeminiModelOptions = {}): Model {
  const base = options.baseURL ?? DEFAULT_GEMINI_BASE_URL;
  async function* model(request: ModelRequest): AsyncGenerator<ModelPart, void, undefined> {
    refuseCommon(request, NAME);
    const call = geminiRequest(request, options, refuser());
    const url = joinURL(base, `models/${encodeURIComponent(call.model)}:streamGenerateContent?alt=sse`);
    const mapper = new GeminiStreamMapper((error) => upstreamReportedError(NAME, { error }));
    for await (const { data } of streamUpstream(url, call.body, options, TARGET, request)) {
      // Without `alt=sse` (a proxy that drops the query), the answer is one JSON array of the chunks.
      for (const chunk of Array.isArray(data) ? data : [data]) yield* mapper.chunk(chunk);
    }
    // Gemini's stream has no end marker: the last chunk carries the finish reason.
    if (!mapper.finished) throw upstreamStreamError(NAME, "ended before a chunk with a finishReason.");
    yield* mapper.end();
  }
  return options.model === undefined ? model : Object.assign(model, { defaultModel: options.model });
}
