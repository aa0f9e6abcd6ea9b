/**
 * `tool_choice: "required"` (or a named function) through the engine's own function calling: the chat
 * format is told that the model's answer starts inside a function call, with no way out of it. The
 * engine then feeds the format's call prefix and makes the model write a function name from the offered
 * list, then arguments that follow that function's schema (its grammars), so even a weak model calls
 * a tool, and calls it correctly. After the first call the model may add more where the format has
 * parallel calls, or stop.
 *
 * Formats that choose what comes next by prefix triggers (gpt-oss's Harmony channels) are forced the
 * same way in their own terms: thinking may still come first, but a plain answer is no longer a way
 * out, and whatever is not a recognised prefix starts a function call.
 */

import type {
  ChatWrapper,
  ChatWrapperGenerateContextStateOptions,
  ChatWrapperGeneratedContextState,
  LlamaText,
} from "node-llama-cpp";

const forced = new WeakMap<ChatWrapper, ChatWrapper>();

/** The state a chat format generated, with the answer forced into a function call. */
export function forceFunctionCall(
  state: ChatWrapperGeneratedContextState,
  emptyText: LlamaText,
): ChatWrapperGeneratedContextState {
  if (state.prefixTriggers !== undefined || state.noPrefixTrigger !== undefined) {
    return {
      ...state,
      prefixTriggers: state.prefixTriggers?.filter((trigger) => trigger.type !== "response"),
      noPrefixTrigger: { type: "functionCall", inject: emptyText },
    };
  }
  const { contextText, stopGenerationTriggers, ignoreStartText } = state;
  return {
    contextText,
    stopGenerationTriggers,
    ...(ignoreStartText === undefined ? {} : { ignoreStartText }),
    functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] },
  };
}

/** The same chat format, its answers starting in a function call (one proxy per format). */
export function forcedCallWrapper(wrapper: ChatWrapper, emptyText: LlamaText): ChatWrapper {
  const known = forced.get(wrapper);
  if (known) return known;
  const proxy = new Proxy(wrapper, {
    get(target, property) {
      if (property !== "generateContextState") return Reflect.get(target, property, target);
      return (options: ChatWrapperGenerateContextStateOptions) =>
        forceFunctionCall(target.generateContextState(options), emptyText);
    },
  });
  forced.set(wrapper, proxy);
  return proxy;
}
