/** Builds the `ModelRequest` a bridge's request mapper is given, the way the kit resolves it. */

import { createToolPolicy } from "../../../src/server/kit/tool-policy.js";
import type { ModelRequest } from "../../../src/server/model.js";
import type { CreateResponseBody, ItemField, ItemParam } from "../../../src/spec/index.js";

export function modelRequest(
  body: CreateResponseBody,
  earlier: Array<ItemParam | ItemField> = [],
): ModelRequest {
  const own: Array<ItemParam | ItemField> =
    typeof body.input === "string"
      ? [{ type: "message", role: "user", content: body.input }]
      : (body.input ?? []);
  const policy = createToolPolicy(body);
  return {
    body,
    input: [...earlier, ...own],
    responseId: "resp_test",
    signal: new AbortController().signal,
    tools: policy.tools,
    toolChoice: policy.mode,
  };
}
