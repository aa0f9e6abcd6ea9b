import { describe, expectTypeOf, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import type { APIUserAbortError } from "../../src/errors.js";
import type { ExtensionStreamingEvent } from "../../src/spec/index.js";
import type { ResponseStream } from "../../src/streaming/index.js";

declare const stream: ResponseStream;
const pending = new OpenResponses({ baseURL: "http://127.0.0.1:1" }).responses.stream({ model: "m" });

describe(".on() names are checked", () => {
  it("known names, lifecycle names and prefixed names compile; a typo does not", () => {
    stream.on("response.output_text.delta", (event) => expectTypeOf(event.delta).toEqualTypeOf<string>());
    stream.on("connect", () => undefined);
    stream.on("end", () => undefined);
    stream.on("abort", (error) => expectTypeOf(error).toEqualTypeOf<APIUserAbortError>());
    stream.on("error", (error) => expectTypeOf(error).toEqualTypeOf<Error>());
    stream.on("acme:progress", (event) => expectTypeOf(event).toEqualTypeOf<ExtensionStreamingEvent>());
    stream.on("response.web_search_call.searching", (event) =>
      expectTypeOf(event).toEqualTypeOf<ExtensionStreamingEvent>(),
    );
    // @ts-expect-error a typo in a spec event name
    stream.on("response.output_text.delat", () => undefined);
    // @ts-expect-error a typo in a lifecycle name
    stream.on("ended", () => undefined);
    // @ts-expect-error the same check on the pending stream of responses.stream()
    pending.on("response.complete", () => undefined);
    // @ts-expect-error and on once
    stream.once("respons.created", () => undefined);
  });

  it("once/off/done exist on both and return what they should", () => {
    expectTypeOf(stream.once("end", () => undefined)).toEqualTypeOf<ResponseStream>();
    expectTypeOf(stream.done()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(pending.once("end", () => undefined)).toEqualTypeOf(pending);
    expectTypeOf(pending.off("end", () => undefined)).toEqualTypeOf(pending);
    expectTypeOf(pending.done()).toEqualTypeOf<Promise<void>>();
  });
});
