/**
 * A complete `ResponseResource` (every field the schema requires), shared by the tests of every part so
 * that a change to the schema is made in one place.
 */

export type Loose = Record<string, unknown>;

/** A response with the given status and output; `extra` overrides any field. */
export function responseResource(status: string, output: unknown[] = [], extra: Loose = {}): Loose {
  return {
    id: "resp_1",
    object: "response",
    created_at: 1_700_000_000,
    completed_at: status === "completed" ? 1_700_000_005 : null,
    status,
    incomplete_details: status === "incomplete" ? { reason: "max_output_tokens" } : null,
    model: "test-model",
    previous_response_id: null,
    instructions: null,
    output,
    error: null,
    tools: [],
    tool_choice: "auto",
    truncation: "disabled",
    parallel_tool_calls: true,
    text: { format: { type: "text" } },
    top_p: 1,
    presence_penalty: 0,
    frequency_penalty: 0,
    top_logprobs: 0,
    temperature: 1,
    reasoning: null,
    usage: null,
    max_output_tokens: null,
    max_tool_calls: null,
    store: false,
    background: false,
    service_tier: "default",
    metadata: {},
    safety_identifier: null,
    prompt_cache_key: null,
    ...extra,
  };
}
