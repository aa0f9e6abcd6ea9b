/**
 * What a `Conversation` does once a turn runs: the body it sends (`previous_response_id` or the whole
 * context), the fallback to a full resend when the server lost the previous response, recording what the
 * turn produced, and compaction. Loaded with the first turn (through `src/on-demand.ts`), where the tool
 * loop finds it too, so a client that never holds a conversation does not carry it.
 */

import type { ResponsesClient } from "../core/responses-api.js";
import { APIError, OpenResponsesError } from "../errors.js";
import { isRecord } from "../internal/guards.js";
import { isTerminalEventType } from "../internal/terminal-events.js";
import {
  type CompactResource,
  type CompactResponseMethodPublicBody,
  type CreateResponseBody,
  type ResponseResource,
  withOutputText,
} from "../spec/index.js";
import { ResponseAccumulator, type ResponseStreamEvent } from "../streaming/index.js";
import type { ConversationDefaults, ConversationState } from "./conversation.js";
import { type ConversationItem, toInputItems } from "./items.js";

/** The code servers use when they no longer hold the response a turn continues from (W4, W5). */
const PREVIOUS_NOT_FOUND = "previous_response_not_found";

/** Runs one turn, relaying its events as messages and recording its response in `state`. */
export async function* runTurn(
  state: ConversationState,
  overrides: ConversationDefaults | undefined,
  onSource: (source: AsyncIterable<ResponseStreamEvent>) => void,
): AsyncGenerator<{ event?: string; data: string }> {
  const { options } = state;
  // HTTP cannot reach `store: false` responses, so there the conversation resends instead.
  let continuing =
    (options.mode ?? "previous_response_id") === "previous_response_id" &&
    state.previousId !== null &&
    (state.overSocket || options.defaults?.store !== false);
  for (let attempt = 0; attempt < 2; attempt++) {
    const sent = [...state.pending];
    const { model, instructions, tools, defaults } = options;
    const body: Record<string, unknown> = { ...defaults };
    if (model !== undefined) body.model = model;
    if (instructions !== undefined) body.instructions = instructions;
    if (tools !== undefined) body.tools = tools;
    Object.assign(body, overrides);
    body.input = continuing ? [...sent] : [...state.items, ...sent];
    if (continuing) body.previous_response_id = state.previousId;
    const source = state.transport.stream(body as CreateResponseBody);
    onSource(source);
    let relayed = 0;
    let ended = false;
    // The terminal snapshot alone can lack what was streamed (servers that send `output: []` there);
    // the accumulator reconciles both, exactly as `finalResponse()` does, so no item is lost.
    const accumulator = new ResponseAccumulator();
    try {
      for await (const event of source) {
        if (ended) continue;
        accumulator.apply(event);
        if (isTerminalEventType(event.type)) {
          ended = true;
          record(state, event, accumulator.finalResponse, sent);
        }
        relayed += 1;
        yield { event: event.type, data: JSON.stringify(event) };
      }
      return;
    } catch (error) {
      // The terminal event already told the reader how the turn ended; what follows adds nothing.
      if (ended) return;
      // W4/W5/W9: the server no longer has the previous response; resend the whole context once.
      if (
        continuing &&
        relayed === 0 &&
        attempt === 0 &&
        error instanceof APIError &&
        error.code === PREVIOUS_NOT_FOUND
      ) {
        continuing = false;
        continue;
      }
      throw error;
    }
  }
}

function record(
  state: ConversationState,
  event: ResponseStreamEvent,
  reconciled: ResponseResource | null,
  sent: ConversationItem[],
): void {
  const response = reconciled ?? (event as { response?: unknown }).response;
  if (event.type === "response.failed" || !isRecord(response) || typeof response.id !== "string") return;
  const resource = response as unknown as ResponseResource;
  state.items.push(...sent, ...toInputItems(resource.output ?? []));
  state.pending.splice(0, sent.length);
  state.previousId = resource.id;
  state.lastResponse = withOutputText(resource);
}

/** `Conversation.compact()` once the turns before it have settled (rule W6). */
export async function compactConversation(
  state: ConversationState,
  client: ResponsesClient,
  overrides: Partial<CompactResponseMethodPublicBody> | undefined,
): Promise<CompactResource> {
  const { options } = state;
  const model = overrides?.model ?? options.model ?? options.defaults?.model ?? client.model;
  if (!model) throw new OpenResponsesError("compact() needs a `model` (rule H2).");
  const body: CompactResponseMethodPublicBody = {
    model,
    input: state.items as CompactResponseMethodPublicBody["input"],
    ...(options.instructions ? { instructions: options.instructions } : {}),
    ...overrides,
  };
  const resource = await client.responses.compact(body);
  state.items = toInputItems(resource.output);
  state.previousId = null;
  return resource;
}
