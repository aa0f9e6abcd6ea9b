/**
 * Type-level tests (checked by tsc through vitest typecheck and `npm run typecheck`): every component
 * name is exported by the package entry, request types are exact, response types are tolerant.
 */

import { describe, expectTypeOf, it } from "vitest";
import type {
  AllowedToolChoice,
  AllowedToolsParam,
  Annotation,
  AssistantMessageItemParam,
  CompactionBody,
  CompactionSummaryItemParam,
  CompactResource,
  CompactResponseMethodPublicBody,
  CreateResponseBody,
  DetailEnum,
  DeveloperMessageItemParam,
  EmptyModelParam,
  ErrorPayload,
  ErrorStreamingEvent,
  FunctionCall,
  FunctionCallItemParam,
  FunctionCallItemStatus,
  FunctionCallOutput,
  FunctionCallOutputItemParam,
  FunctionCallOutputStatusEnum,
  FunctionCallStatus,
  FunctionTool,
  FunctionToolChoice,
  FunctionToolParam,
  ImageDetail,
  IncludeEnum,
  IncompleteDetails,
  InputFileContent,
  InputFileContentParam,
  InputImageContent,
  InputImageContentParamAutoParam,
  InputTextContent,
  InputTextContentParam,
  InputTokensDetails,
  InputVideoContent,
  ItemField,
  ItemParam,
  ItemReferenceParam,
  JsonObjectResponseFormat,
  JsonSchemaResponseFormat,
  JsonSchemaResponseFormatParam,
  LogProb,
  Message,
  MessageRole,
  MessageStatus,
  MetadataParam,
  OutputTextContent,
  OutputTextContentParam,
  OutputTokensDetails,
  Reasoning,
  ReasoningBody,
  ReasoningEffortEnum,
  ReasoningItemParam,
  ReasoningParam,
  ReasoningSummaryContentParam,
  ReasoningSummaryEnum,
  ReasoningTextContent,
  RefusalContent,
  RefusalContentParam,
  ResponseCompletedStreamingEvent,
  ResponseContentPartAddedStreamingEvent,
  ResponseContentPartDoneStreamingEvent,
  ResponseCreatedStreamingEvent,
  ResponseError,
  ResponseFailedStreamingEvent,
  ResponseFunctionCallArgumentsDeltaStreamingEvent,
  ResponseFunctionCallArgumentsDoneStreamingEvent,
  ResponseIncompleteStreamingEvent,
  ResponseInProgressStreamingEvent,
  ResponseOutputItemAddedStreamingEvent,
  ResponseOutputItemDoneStreamingEvent,
  ResponseOutputTextAnnotationAddedStreamingEvent,
  ResponseOutputTextDeltaStreamingEvent,
  ResponseOutputTextDoneStreamingEvent,
  ResponseQueuedStreamingEvent,
  ResponseReasoningDeltaStreamingEvent,
  ResponseReasoningDoneStreamingEvent,
  ResponseReasoningSummaryDeltaStreamingEvent,
  ResponseReasoningSummaryDoneStreamingEvent,
  ResponseReasoningSummaryPartAddedStreamingEvent,
  ResponseReasoningSummaryPartDoneStreamingEvent,
  ResponseRefusalDeltaStreamingEvent,
  ResponseRefusalDoneStreamingEvent,
  ResponseResource,
  ResponsesToolParam,
  ServiceTierEnum,
  SpecificFunctionParam,
  SpecificToolChoiceParam,
  StreamOptionsParam,
  SummaryTextContent,
  SystemMessageItemParam,
  TextContent,
  TextField,
  TextFormatParam,
  TextParam,
  TextResponseFormat,
  Tool,
  ToolChoiceParam,
  ToolChoiceValueEnum,
  TopLogProb,
  TruncationEnum,
  UrlCitationBody,
  UrlCitationParam,
  Usage,
  UserMessageItemParam,
  VerbosityEnum,
  WebSocketErrorEvent,
  WebSocketResponseCreateEvent,
} from "../../src/index.js";
import {
  type AnyStreamingEvent,
  type CompactParams,
  type ContentPart,
  type ExtensionContent,
  type ExtensionItem,
  type ExtensionStreamingEvent,
  type InputContent,
  type Item,
  isValid,
  type OutputContent,
  type OutputItem,
  outputText,
  type ResponseStatus,
  type SchemaName,
  type SchemaTypes,
  type StreamingEvent,
  type StreamingEventType,
  type schemaNames,
  type ToolChoice,
} from "../../src/index.js";

type AllSchemaTypes = [
  ItemReferenceParam,
  ReasoningSummaryContentParam,
  ReasoningItemParam,
  CompactionSummaryItemParam,
  InputTextContentParam,
  DetailEnum,
  InputImageContentParamAutoParam,
  InputFileContentParam,
  UserMessageItemParam,
  SystemMessageItemParam,
  DeveloperMessageItemParam,
  UrlCitationParam,
  OutputTextContentParam,
  RefusalContentParam,
  AssistantMessageItemParam,
  FunctionCallItemStatus,
  FunctionCallItemParam,
  FunctionCallOutputItemParam,
  ItemParam,
  IncludeEnum,
  EmptyModelParam,
  FunctionToolParam,
  ResponsesToolParam,
  SpecificFunctionParam,
  SpecificToolChoiceParam,
  ToolChoiceValueEnum,
  AllowedToolsParam,
  ToolChoiceParam,
  MetadataParam,
  VerbosityEnum,
  TextParam,
  StreamOptionsParam,
  ReasoningEffortEnum,
  ReasoningSummaryEnum,
  ReasoningParam,
  TruncationEnum,
  ServiceTierEnum,
  CreateResponseBody,
  WebSocketResponseCreateEvent,
  WebSocketErrorEvent,
  IncompleteDetails,
  MessageRole,
  InputTextContent,
  UrlCitationBody,
  Annotation,
  TopLogProb,
  LogProb,
  OutputTextContent,
  TextContent,
  SummaryTextContent,
  ReasoningTextContent,
  RefusalContent,
  ImageDetail,
  InputImageContent,
  InputFileContent,
  MessageStatus,
  Message,
  FunctionCallStatus,
  FunctionCall,
  FunctionCallOutputStatusEnum,
  FunctionCallOutput,
  ReasoningBody,
  CompactionBody,
  ItemField,
  ResponseError,
  FunctionTool,
  Tool,
  FunctionToolChoice,
  AllowedToolChoice,
  TextResponseFormat,
  JsonObjectResponseFormat,
  JsonSchemaResponseFormat,
  TextField,
  Reasoning,
  InputTokensDetails,
  OutputTokensDetails,
  Usage,
  ResponseResource,
  ResponseCreatedStreamingEvent,
  ResponseQueuedStreamingEvent,
  ResponseInProgressStreamingEvent,
  ResponseCompletedStreamingEvent,
  ResponseFailedStreamingEvent,
  ResponseIncompleteStreamingEvent,
  ResponseOutputItemAddedStreamingEvent,
  ResponseOutputItemDoneStreamingEvent,
  ResponseReasoningSummaryPartAddedStreamingEvent,
  ResponseReasoningSummaryPartDoneStreamingEvent,
  ResponseContentPartAddedStreamingEvent,
  ResponseContentPartDoneStreamingEvent,
  ResponseOutputTextDeltaStreamingEvent,
  ResponseOutputTextDoneStreamingEvent,
  ResponseRefusalDeltaStreamingEvent,
  ResponseRefusalDoneStreamingEvent,
  ResponseReasoningDeltaStreamingEvent,
  ResponseReasoningDoneStreamingEvent,
  ResponseReasoningSummaryDeltaStreamingEvent,
  ResponseReasoningSummaryDoneStreamingEvent,
  ResponseOutputTextAnnotationAddedStreamingEvent,
  ResponseFunctionCallArgumentsDeltaStreamingEvent,
  ResponseFunctionCallArgumentsDoneStreamingEvent,
  ErrorPayload,
  ErrorStreamingEvent,
  CompactResponseMethodPublicBody,
  CompactResource,
  InputVideoContent,
  JsonSchemaResponseFormatParam,
  TextFormatParam,
];

describe("the 108 component types", () => {
  it("are all exported from the package entry", () => {
    expectTypeOf<AllSchemaTypes["length"]>().toEqualTypeOf<108>();
    expectTypeOf<keyof SchemaTypes>().toEqualTypeOf<(typeof schemaNames)[number]>();
    expectTypeOf<SchemaName>().toEqualTypeOf<keyof SchemaTypes>();
    expectTypeOf<SchemaTypes["ResponseResource"]>().toEqualTypeOf<ResponseResource>();
  });

  it("are faithful to required, optional and nullable fields and to enums", () => {
    expectTypeOf<FunctionCall["call_id"]>().toEqualTypeOf<string>();
    expectTypeOf<ResponseResource["completed_at"]>().toEqualTypeOf<number | null>();
    expectTypeOf<CreateResponseBody["model"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<CompactResponseMethodPublicBody["model"]>().toEqualTypeOf<string>();
    expectTypeOf<ImageDetail>().toEqualTypeOf<"low" | "high" | "auto">();
    expectTypeOf<AssistantMessageItemParam["phase"]>().toEqualTypeOf<
      "commentary" | "final_answer" | undefined
    >();
    expectTypeOf<ToolChoiceParam>().toEqualTypeOf<
      SpecificFunctionParam | ToolChoiceValueEnum | AllowedToolsParam
    >();
  });
});

describe("request types stay exact", () => {
  it("S1/P4: a typo in a request literal is a compile error", () => {
    const body: CreateResponseBody = {
      model: "m",
      // @ts-expect-error misspelt field
      temprature: 0.2,
    };
    const item: ItemParam = {
      type: "message",
      // @ts-expect-error not a role
      role: "usr",
      content: "hi",
    };
    const content: UserMessageItemParam["content"] = [
      // @ts-expect-error not a content type
      { type: "input_txt", text: "hi" },
    ];
    // @ts-expect-error not a tool_choice value
    const choice: ToolChoice = "always";
    expectTypeOf(body).toEqualTypeOf<CreateResponseBody>();
    expectTypeOf([item, content, choice]).not.toBeAny();
  });

  it("X1: extension items are not request items", () => {
    const extension: ExtensionItem = { type: "acme:search_result", id: "x", status: "completed" };
    // @ts-expect-error an extension item is not an ItemParam
    const input: Item = extension;
    expectTypeOf(input).toEqualTypeOf<ItemParam>();
  });

  it("W1: stream, stream_options and background cannot be sent on a WebSocket", () => {
    // @ts-expect-error `stream` is disallowed in response.create
    const event: WebSocketResponseCreateEvent = { type: "response.create", model: "m", stream: true };
    expectTypeOf(event).not.toBeAny();
  });

  it("CreateResponseBody takes stream either way; CompactParams is the compaction body", () => {
    const params: CreateResponseBody = { model: "m", stream: false };
    const streaming: CreateResponseBody = { model: "m", stream: true };
    expectTypeOf(streaming.stream).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(params).not.toBeAny();
    expectTypeOf<CompactParams>().toEqualTypeOf<CompactResponseMethodPublicBody>();
  });
});

describe("response types are tolerant where the wire is", () => {
  it("X1/X2: an extension item is assignable to the response output item type, without casts", () => {
    const response: Pick<ResponseResource, "output"> = {
      output: [
        { type: "acme:search_result", id: "sr_1", status: "completed", results: ["a", "b"] },
        { type: "web_search_call", id: "ws_1", status: "completed", action: { query: "q" } },
      ],
    };
    const compacted: CompactResource["output"] = [{ type: "acme:note", id: "n_1", status: "completed" }];
    expectTypeOf<{
      type: "acme:search_result";
      id: string;
      status: string;
      score: number;
    }>().toExtend<OutputItem>();
    expectTypeOf<ExtensionItem>().toExtend<ItemField>();
    expectTypeOf(response.output).toEqualTypeOf<OutputItem[]>();
    expectTypeOf(compacted).toEqualTypeOf<ItemField[]>();
  });

  it("X2: extension content is accepted in response content unions and content-part events", () => {
    const message: Message = {
      type: "message",
      id: "m",
      status: "completed",
      role: "assistant",
      content: [{ type: "acme:chart", data: [1, 2] }],
    };
    const event: ResponseContentPartAddedStreamingEvent = {
      type: "response.content_part.added",
      sequence_number: 1,
      item_id: "m",
      output_index: 0,
      content_index: 0,
      part: { type: "acme:chart", data: [] },
    };
    expectTypeOf<ExtensionContent>().toExtend<ContentPart>();
    expectTypeOf<ExtensionContent>().toExtend<OutputContent>();
    expectTypeOf([message, event]).not.toBeAny();
  });

  it("X3: extension events carry sequence_number and are part of the wire event union", () => {
    const events: AnyStreamingEvent[] = [
      { type: "acme:trace_event", sequence_number: 3, detail: "x" },
      { type: "response.web_search_call.searching", sequence_number: 4, item_id: "ws_1", output_index: 0 },
    ];
    // @ts-expect-error X3: an extension event still needs sequence_number
    const missing: ExtensionStreamingEvent = { type: "acme:trace_event" };
    expectTypeOf([events, missing]).not.toBeAny();
  });

  it("switch narrowing still works on the standard output items", () => {
    const kinds = (item: OutputItem): string => {
      switch (item.type) {
        case "message":
          expectTypeOf(item).toEqualTypeOf<Message>();
          return item.role;
        case "function_call":
          expectTypeOf(item).toEqualTypeOf<FunctionCall>();
          return item.arguments;
        case "function_call_output":
          expectTypeOf(item).toEqualTypeOf<FunctionCallOutput>();
          return item.call_id;
        case "reasoning":
          expectTypeOf(item).toEqualTypeOf<ReasoningBody>();
          return item.id;
        case "compaction":
          expectTypeOf(item).toEqualTypeOf<CompactionBody>();
          return item.encrypted_content;
        default:
          expectTypeOf(item).toEqualTypeOf<ExtensionItem>();
          return item.type;
      }
    };
    expectTypeOf(kinds).returns.toEqualTypeOf<string>();
  });

  it("switch narrowing works on wire events, standard and extension", () => {
    const handle = (event: AnyStreamingEvent): string => {
      switch (event.type) {
        case "response.output_text.delta":
          expectTypeOf(event).toEqualTypeOf<ResponseOutputTextDeltaStreamingEvent>();
          return event.delta;
        case "response.completed":
          expectTypeOf(event).toEqualTypeOf<ResponseCompletedStreamingEvent>();
          return event.response.id;
        case "error":
          expectTypeOf(event).toEqualTypeOf<ErrorStreamingEvent>();
          return event.error.message;
        default:
          return event.type;
      }
    };
    expectTypeOf(handle).parameter(0).toEqualTypeOf<StreamingEvent | ExtensionStreamingEvent>();
  });

  it("S4: StreamingEvent is the union of the 24 standard events", () => {
    expectTypeOf<StreamingEventType>().toEqualTypeOf<
      | "response.created"
      | "response.queued"
      | "response.in_progress"
      | "response.completed"
      | "response.failed"
      | "response.incomplete"
      | "response.output_item.added"
      | "response.output_item.done"
      | "response.reasoning_summary_part.added"
      | "response.reasoning_summary_part.done"
      | "response.content_part.added"
      | "response.content_part.done"
      | "response.output_text.delta"
      | "response.output_text.done"
      | "response.refusal.delta"
      | "response.refusal.done"
      | "response.reasoning.delta"
      | "response.reasoning.done"
      | "response.reasoning_summary_text.delta"
      | "response.reasoning_summary_text.done"
      | "response.output_text.annotation.added"
      | "response.function_call_arguments.delta"
      | "response.function_call_arguments.done"
      | "error"
    >();
    expectTypeOf<ExtensionStreamingEvent>().not.toExtend<StreamingEvent>();
  });
});

describe("friendly aliases and helpers", () => {
  it("have the expected shapes", () => {
    expectTypeOf<Item>().toEqualTypeOf<ItemParam>();
    expectTypeOf<OutputItem>().toEqualTypeOf<ItemField>();
    expectTypeOf<InputVideoContent>().toExtend<InputContent>();
    expectTypeOf<InputTextContentParam>().toExtend<InputContent>();
    expectTypeOf<OutputTextContent>().toExtend<OutputContent>();
    expectTypeOf<"completed">().toExtend<ResponseStatus>();
    expectTypeOf(outputText).returns.toEqualTypeOf<string>();
    expectTypeOf(outputText).toBeCallableWith({} as ResponseResource);
  });

  it("isValid narrows an unknown value to the schema's type", () => {
    const value: unknown = JSON.parse("{}");
    if (isValid("ItemParam", value)) expectTypeOf(value).toEqualTypeOf<ItemParam>();
    if (isValid("ResponseResource", value)) expectTypeOf(value.output).toEqualTypeOf<ItemField[]>();
  });
});
