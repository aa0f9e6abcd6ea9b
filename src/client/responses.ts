/**
 * `client.responses`: create, stream, compact and connect (a WebSocket session), plus the
 * stored-response extensions retrieve, delete and inputItems.list (see `stored-responses.ts`).
 */

import {
  type AcceptedAnswer,
  APIPromise,
  jsonAnswer,
  type WithResponse,
  withResponseOf,
} from "../core/api-promise.js";
import { loadOnDemand } from "../core/load-on-demand.js";
import type { RequestOptions } from "../core/options.js";
import type { RequestTool, ResponseCreateParams } from "../core/request-types.js";
import type { Transport } from "../core/transport.js";
import { OpenResponsesError } from "../errors.js";
import { isRecord } from "../internal/guards.js";
import type { CompactResponseMethodPublicBody, ResponseResource } from "../spec/index.js";
import { ResponseStream } from "../streaming/index.js";
import type { ParsedResponseOf, ParseTool } from "../structured/parse.js";
import { toWireTools } from "../structured/wire-tools.js";
import type { RunToolsBody, RunToolsOptions, ToolRunResult } from "../tools/run-types.js";
import { ToolRunStream } from "../tools/runner.js";
import { type ConnectOptions, connectWithClient } from "../websocket/connect.js";
import type { ResponsesSocket } from "../websocket/session.js";
import { type CompactResult, type ResponseResult, toResponseResult, withRequestId } from "./output-text.js";
import { ParsedResponseStream } from "./parsed-stream.js";
import { PendingResponseStream } from "./pending-stream.js";
import { InputItems, type ResponseDeleted, storedCall } from "./stored-responses.js";

/** A request body for `responses.stream()`: `stream` is set for you. */
export type StreamResponseBody = Omit<ResponseCreateParams, "stream">;

/**
 * A request body for `responses.parse()`: `text.format` from `jsonSchemaFormat`/`zodTextFormat`, and
 * `tools` that may include schema-built (`zodFunction`) and runnable (`tool()`) ones.
 */
export type ParseRequestBody = Omit<ResponseCreateParams, "tools"> & {
  tools?: ReadonlyArray<RequestTool | ParseTool> | null;
};

/** What `Responses` needs from its client; kept small so the WebSocket session can reuse it. */
export interface ResponsesContext {
  readonly transport: Transport;
  /** Default protocol-checker mode for streams. */
  readonly strict: boolean;
  /** Filled into a body without `model` (the `model` option or `OPENRESPONSES_MODEL`). */
  readonly model: string | undefined;
}

export class Responses {
  /**
   * `GET {base}/responses/{id}/input_items`, page by page: `await list(id)` is the first page, and
   * `for await (const item of list(id))` goes over every item of every page. An extension endpoint.
   */
  declare readonly inputItems: InputItems;

  /** @internal What the methods use of the client. */
  declare protected readonly context: ResponsesContext;

  // The fields are declared, not defined: the constructor sets them, in this order, and a field list
  // would only repeat their names in the bundle.
  /** @internal The client builds it: use `client.responses`. */
  constructor(context: ResponsesContext) {
    this.inputItems = new InputItems(context.transport);
    this.context = context;
  }

  /**
   * `GET {base}/responses/{id}`: a stored response, with `output_text` as `create()` gives it. An
   * extension endpoint: a server without it gives an `EndpointNotSupportedError`.
   */
  retrieve(id: string, options?: RequestOptions): APIPromise<ResponseResult> {
    return storedCall(this.context.transport, "retrieve", id, options, toResponseResult);
  }

  /** `DELETE {base}/responses/{id}`. An extension endpoint, like `retrieve`. */
  delete(id: string, options?: RequestOptions): APIPromise<ResponseDeleted> {
    // A server that answers with no deletion object gets one (`requestStored`).
    return storedCall(
      this.context.transport,
      "delete",
      id,
      options,
      withRequestId<Omit<ResponseDeleted, "_request_id">>,
    );
  }

  /**
   * `POST {base}/responses`. Resolves to the `ResponseResource` (with `output_text` and `_request_id`),
   * or, with `stream: true`, to a `ResponseStream` once the response headers have arrived.
   */
  create(body: ResponseCreateParams & { stream: true }, options?: RequestOptions): APIPromise<ResponseStream>;
  create(
    body: ResponseCreateParams & { stream?: false | null | undefined },
    options?: RequestOptions,
  ): APIPromise<ResponseResult>;
  create(body: ResponseCreateParams, options?: RequestOptions): APIPromise<ResponseStream | ResponseResult>;
  create(body: ResponseCreateParams, options?: RequestOptions): APIPromise<ResponseStream | ResponseResult> {
    return new APIPromise<ResponseStream | ResponseResult>(
      isRecord(body) && body.stream === true
        ? this.#openStream(body, options)
        : this.#createJSON(body, options),
    );
  }

  /**
   * `POST {base}/responses` with `stream: true`. Returns at once; await it for the `ResponseStream`, or
   * iterate / call `.finalResponse()` on it directly.
   */
  stream(body: StreamResponseBody, options?: RequestOptions): PendingResponseStream {
    return this.#pendingStream(body, options, PendingResponseStream);
  }

  /**
   * Structured outputs: `create()`, then the response read back through the request's schemas —
   * `output_parsed` from `text.format` (built with `jsonSchemaFormat`/`zodTextFormat` from a zod 3/4
   * schema or any Standard Schema), `parsed_arguments` on the calls of `zodFunction`/`tool()` tools.
   * Rejects with a `ResponseParseError` (carrying the raw text) when the model's JSON does not parse or
   * does not match. With `stream: true`, returns a stream whose `finalResponse()` is parsed.
   */
  parse<Body extends ParseRequestBody & { stream: true }>(
    body: Body,
    options?: RequestOptions,
  ): ParsedResponseStream<ParsedResponseOf<Body>>;
  parse<Body extends ParseRequestBody & { stream?: false | null | undefined }>(
    body: Body,
    options?: RequestOptions,
  ): APIPromise<ParsedResponseOf<Body>>;
  parse(
    body: ParseRequestBody,
    options?: RequestOptions,
  ):
    | APIPromise<ParsedResponseOf<ParseRequestBody>>
    | ParsedResponseStream<ParsedResponseOf<ParseRequestBody>> {
    const checked = requireBody(body, "parse");
    // `toWireTools` gives an absent or null `tools` back as it is, which the JSON sent keeps the same.
    const wire = { ...checked, tools: toWireTools(checked.tools) } as ResponseCreateParams;
    if (checked.stream === true) {
      const { stream: _stream, ...rest } = wire;
      return this.#pendingStream(
        rest,
        options,
        ParsedResponseStream<ParsedResponseOf<ParseRequestBody>>,
        checked,
      );
    }
    const answer = this.#createJSON(wire, options).then(
      (accepted): AcceptedAnswer<ParsedResponseOf<ParseRequestBody>> => ({
        ...accepted,
        read: async () => {
          const response = await accepted.read();
          const { parseResponse } = await loadOnDemand("parse()");
          return (await parseResponse(response, checked)) as unknown as ParsedResponseOf<ParseRequestBody>;
        },
      }),
    );
    return new APIPromise(answer);
  }

  /** `stream()`'s request, as a `Stream` (a `PendingResponseStream`, or a `ParsedResponseStream` given `parseBody`). */
  #pendingStream<S extends PendingResponseStream, Body>(
    body: StreamResponseBody,
    options: RequestOptions | undefined,
    Stream: new (
      result: Promise<WithResponse<ResponseStream>>,
      abort: (reason?: unknown) => void,
      parseBody: Body,
    ) => S,
    parseBody?: Body,
  ): S {
    const local = new AbortController();
    let opened: ResponseStream | undefined;
    const result = this.#openStream(isRecord(body) ? { ...body, stream: true } : body, {
      ...options,
      signal: linkSignals(options?.signal ?? undefined, local.signal),
    }).then(async (answer) => {
      opened = await answer.read();
      return withResponseOf(opened, answer);
    });
    return new Stream(
      result,
      (reason) => {
        // The reason reaches the stream too, so finalResponse() rejects with it as the abort's cause.
        if (opened) opened.abort(reason);
        local.abort(reason);
      },
      parseBody as Body,
    );
  }

  /** `POST {base}/responses/compact`: resolves to the `CompactResource` (with `_request_id`). */
  compact(body: CompactResponseMethodPublicBody, options?: RequestOptions): APIPromise<CompactResult> {
    const result = (async (): Promise<AcceptedAnswer<CompactResult>> => {
      const r = await this.context.transport.requestJSON<CompactResult>({
        method: "POST",
        path: "/responses/compact",
        body: this.#body(body, "compact"),
        options,
      });
      return jsonAnswer(r, withRequestId(r.data, r.requestId));
    })();
    return new APIPromise(result);
  }

  /**
   * A tool-calling loop: creates a response, runs the function calls it makes with the runnable tools
   * (`tool()`) in `body.tools`, sends the outputs back, and repeats until a response calls no tool (or
   * `maxTurns`). Resolves to the final response, every turn's response and all items; with
   * `stream: true`, returns a `ToolRunStream` of every turn's events instead. See `src/tools/`.
   */
  runTools(body: RunToolsBody & { stream: true }, options?: RunToolsOptions): ToolRunStream;
  runTools(body: RunToolsBody & { stream?: false | null }, options?: RunToolsOptions): Promise<ToolRunResult>;
  runTools(body: RunToolsBody, options?: RunToolsOptions): ToolRunStream | Promise<ToolRunResult>;
  runTools(body: RunToolsBody, options?: RunToolsOptions): ToolRunStream | Promise<ToolRunResult> {
    const host = { stream: this.stream.bind(this), strict: this.context.strict };
    const run = new ToolRunStream(host, body, options);
    return body?.stream === true ? run : run.finalResult();
  }

  // ── WebSocket mode ─────────────────────────────────────────────────────────────────────────────────
  /**
   * Opens a WebSocket session on `{base}/responses` (rule W1). Each `session.create(body)` is a turn,
   * returned as a `ResponseStream`; turns run one at a time (W3). See `ResponsesSocket`.
   */
  connect(options?: ConnectOptions): ResponsesSocket {
    return connectWithClient(this.context, options);
  }
  // ── end of WebSocket mode ──────────────────────────────────────────────────────────────────────────

  async #createJSON(
    body: ResponseCreateParams,
    options?: RequestOptions,
  ): Promise<AcceptedAnswer<ResponseResult>> {
    const r = await this.context.transport.requestJSON<ResponseResource>({
      method: "POST",
      path: "/responses",
      body: this.#body(body, "create", options),
      options,
    });
    return jsonAnswer(r, toResponseResult(r.data, r.requestId));
  }

  async #openStream(
    body: ResponseCreateParams,
    options?: RequestOptions,
  ): Promise<AcceptedAnswer<ResponseStream>> {
    const { transport, strict } = this.context;
    const accepted = await transport.requestStream({
      method: "POST",
      path: "/responses",
      body: this.#body(body, "stream", options),
      options,
    });
    const { httpResponse, requestId } = accepted;
    const streamOptions = {
      strict: options?.strict ?? strict,
      maxResponseBytes: transport.maxResponseBytes(options),
      maxEventSize: transport.maxEventBytes(options),
      abort: accepted.abort,
      response: httpResponse,
      requestId,
    };
    const contentType = httpResponse.headers.get("content-type") ?? "";
    if (/\bjson\b/i.test(contentType)) {
      // A server that ignored `stream: true` (rule S1): rare, so its handling is loaded when it happens.
      return (await loadOnDemand("this answer")).answerFromJSON(
        accepted,
        streamOptions,
        transport.maxBodyBytes(options),
        transport.config.logger,
      );
    }
    // The stream is opened on demand, so that `asResponse()` can hand out the body unread instead.
    let taken: "stream" | "body" | null = null;
    let stream: ResponseStream | undefined;
    let unread: Promise<Response> | undefined;
    return {
      response: httpResponse,
      requestId,
      read: () => {
        if (taken === "body") {
          throw new OpenResponsesError("The stream's body was taken by asResponse(); read it from there.");
        }
        taken = "stream";
        stream ??=
          accepted.reader === null
            ? ResponseStream.fromSSEResponse(httpResponse, streamOptions)
            : ResponseStream.fromBodyReader(accepted.reader, streamOptions);
        return stream;
      },
      unread: () => {
        if (taken === "stream") return httpResponse;
        taken = "body";
        const reader = accepted.reader;
        if (reader === null) return httpResponse;
        // The body as a `Response` of its own: made (by `core/unread-body.ts`) when first asked for.
        unread ??= loadOnDemand("asResponse()").then(({ readerResponse }) =>
          readerResponse(reader, httpResponse),
        );
        return unread;
      },
    };
  }

  /**
   * The body as sent: checked to be an object, `stream` set for a stream, the client's `model` filled in
   * when it has none, and the `extraBody` request option (the untyped escape hatch) laid over it.
   */
  #body<T extends { model?: string | null }>(body: T, method: string, options?: RequestOptions): T {
    const out: Record<string, unknown> = { ...requireBody(body, method) };
    if (method === "stream") out.stream = true;
    if (out.model == null && this.context.model !== undefined) out.model = this.context.model;
    return { ...out, ...options?.extraBody } as T;
  }
}

/** A body that is not a JSON object is a programming error: say so before anything is sent. */
function requireBody<T>(body: T, method: string): T {
  if (!isRecord(body)) {
    const got = body === null ? "null" : Array.isArray(body) ? "an array" : typeof body;
    throw new OpenResponsesError(`responses.${method}() needs a request body object, got ${got}.`);
  }
  return body;
}

/** An AbortSignal that fires when either input does (with a fallback where AbortSignal.any is missing). */
function linkSignals(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  if (!a) return b;
  // AbortSignal.any holds its inputs weakly, so a long-lived caller signal does not collect listeners.
  if (typeof AbortSignal.any === "function") return AbortSignal.any([a, b]);
  const controller = new AbortController();
  for (const source of [a, b]) {
    if (source.aborted) controller.abort(source.reason);
    else source.addEventListener("abort", () => controller.abort(source.reason), { once: true });
  }
  return controller.signal;
}
