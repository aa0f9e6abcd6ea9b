import { describe, expectTypeOf, it } from "vitest";
import type {
  ExtensionStreamingEvent,
  ResponseResource,
  ResponseWithOutputText,
} from "../../src/spec/index.js";
import type { ResponseStreamEvent } from "../../src/streaming/events.js";
import type { ResponseStream } from "../../src/streaming/response-stream.js";

declare const stream: ResponseStream;

describe("ResponseStream types", () => {
  it(".on types the payload by the event name", () => {
    stream.on("response.output_text.delta", (event) => {
      expectTypeOf(event.delta).toEqualTypeOf<string>();
      expectTypeOf(event.type).toEqualTypeOf<"response.output_text.delta">();
    });
    stream.on("response.completed", (event) => {
      expectTypeOf(event.response).toEqualTypeOf<ResponseResource>();
    });
    stream.on("event", (event) => {
      expectTypeOf(event).toEqualTypeOf<ResponseStreamEvent>();
    });
    // A wild name the parser rewrites: the listener gets the spec's event (with original_type).
    stream.on("response.reasoning_text.delta", (event) => {
      expectTypeOf(event.type).toEqualTypeOf<"response.reasoning.delta">();
      expectTypeOf(event.delta).toEqualTypeOf<string>();
      expectTypeOf(event.original_type).toEqualTypeOf<string | undefined>();
    });
    stream.on("acme:trace_event", (event) => {
      expectTypeOf(event).toEqualTypeOf<ExtensionStreamingEvent>();
    });
  });

  it("iteration yields the event union, narrowed by type", async () => {
    for await (const event of stream) {
      expectTypeOf(event).toEqualTypeOf<ResponseStreamEvent>();
      if (event.type === "response.function_call_arguments.delta")
        expectTypeOf(event.delta).toEqualTypeOf<string>();
    }
    expectTypeOf(stream.finalResponse()).toEqualTypeOf<Promise<ResponseWithOutputText>>();
    expectTypeOf((await stream.finalResponse()).output_text).toEqualTypeOf<string>();
    expectTypeOf(stream.textDeltas()).toMatchTypeOf<AsyncIterable<string>>();
    expectTypeOf(stream.toReadableStream()).toEqualTypeOf<ReadableStream<Uint8Array>>();
  });
});
