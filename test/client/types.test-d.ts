import { describe, expectTypeOf, it } from "vitest";
import {
  type APIPromise,
  type CompactResult,
  OpenResponses,
  type PendingResponseStream,
  type ResponseResult,
} from "../../src/index.js";
import type { CreateResponseBody, ResponseResource } from "../../src/spec/index.js";
import type { ResponseStream } from "../../src/streaming/index.js";

const client = new OpenResponses({ baseURL: "http://127.0.0.1:1" });

describe("responses.create narrows on `stream`", () => {
  it("stream: true → ResponseStream", () => {
    expectTypeOf(client.responses.create({ model: "m", stream: true })).toEqualTypeOf<
      APIPromise<ResponseStream>
    >();
  });

  it("no stream, or stream: false → the response with output_text and _request_id", () => {
    expectTypeOf(client.responses.create({ model: "m" })).toEqualTypeOf<APIPromise<ResponseResult>>();
    expectTypeOf(client.responses.create({ model: "m", stream: false })).toEqualTypeOf<
      APIPromise<ResponseResult>
    >();
    expectTypeOf<ResponseResult>().toExtend<ResponseResource>();
    expectTypeOf<ResponseResult["output_text"]>().toEqualTypeOf<string>();
    expectTypeOf<ResponseResult["_request_id"]>().toEqualTypeOf<string | null>();
  });

  it("stream: boolean → the union", () => {
    const body: CreateResponseBody = { model: "m", stream: Math.random() > 0.5 };
    expectTypeOf(client.responses.create(body)).toEqualTypeOf<APIPromise<ResponseStream | ResponseResult>>();
  });

  it("stream() and compact() have their own result types", () => {
    expectTypeOf(client.responses.stream({ model: "m" })).toEqualTypeOf<PendingResponseStream>();
    expectTypeOf<Awaited<PendingResponseStream>>().toEqualTypeOf<ResponseStream>();
    expectTypeOf(client.responses.compact({ model: "m" })).toEqualTypeOf<APIPromise<CompactResult>>();
    // `stream` is set by stream() itself.
    // @ts-expect-error stream is not accepted by responses.stream()
    client.responses.stream({ model: "m", stream: false });
  });

  it("every public method of ResponseStream exists on what stream() returns, with the same signature", () => {
    // The public methods (own keys whose value is a function); the state getters need the `await`.
    type Methods = {
      [K in keyof ResponseStream as ResponseStream[K] extends (...args: never[]) => unknown
        ? K
        : never]: ResponseStream[K];
    };
    type Pending = ReturnType<typeof client.responses.stream>;
    expectTypeOf<keyof Methods>().toEqualTypeOf<
      | "on"
      | "once"
      | "off"
      | "done"
      | "finalResponse"
      | "finalText"
      | "textDeltas"
      | "toReadableStream"
      | "abort"
      | typeof Symbol.asyncIterator
    >();
    expectTypeOf<Pending>().toHaveProperty("textDeltas");
    // Each method is callable as on the stream: same parameters, and a result the stream's converts to.
    type Check<K extends keyof Methods & keyof Pending> =
      Parameters<Methods[K]> extends Parameters<Pending[K]> ? true : false;
    expectTypeOf<Check<"textDeltas">>().toEqualTypeOf<true>();
    expectTypeOf<Check<"toReadableStream">>().toEqualTypeOf<true>();
    expectTypeOf<Check<"finalResponse">>().toEqualTypeOf<true>();
    expectTypeOf<Check<"abort">>().toEqualTypeOf<true>();
    expectTypeOf<Pick<Pending, keyof Methods>>().toMatchTypeOf<Omit<Methods, "on" | "once" | "off">>();
    expectTypeOf(client.responses.stream({ model: "m" }).textDeltas()).toEqualTypeOf<
      AsyncGenerator<string, void, undefined>
    >();
  });

  it("on() payloads are typed by the event name", () => {
    client.responses.stream({ model: "m" }).on("response.output_text.delta", (event) => {
      expectTypeOf(event.delta).toEqualTypeOf<string>();
    });
  });
});
