/**
 * `openresponses`: the client core. Zero run-time dependencies, web standards only (fetch, streams,
 * TextDecoder, AbortSignal), so this entry runs in Node 20+, Bun, Deno, browsers and edge runtimes.
 *
 * The public surface is this list, name by name: a name is here because a user needs it, and
 * `api/openresponses.api.md` (checked in CI by `npm run api:check`) shows every change to it in review.
 * The specification's component types keep their spec names; its `Error` schema is `ResponseError`, so
 * the global `Error` is never shadowed. Plumbing (`src/core/`) and helpers (`src/internal/`) stay private.
 *
 * @module openresponses
 */

export {
  type FileByData,
  type FileByURL,
  type InputImageOptions,
  inputFile,
  inputImage,
  inputText,
  inputVideo,
} from "./builders/content.js";
export {
  type AssistantContentPart,
  type AssistantMessageOptions,
  assistantMessage,
  developerMessage,
  type FunctionCallInit,
  type FunctionCallOutputOptions,
  type FunctionOutputContentPart,
  functionCall,
  functionCallOutput,
  itemReference,
  type MessageOptions,
  systemMessage,
  type UserContentPart,
  userMessage,
} from "./builders/messages.js";
export {
  type FunctionToolInit,
  functionTool,
} from "./builders/tools.js";
export {
  OpenResponses,
  type OpenResponsesOptions,
} from "./client/client.js";
export type {
  CompactResult,
  RequestIdField,
  ResponseResult,
} from "./client/output-text.js";
export { ParsedResponseStream } from "./client/parsed-stream.js";
export { PendingResponseStream } from "./client/pending-stream.js";
export {
  type ParseRequestBody,
  Responses,
  type StreamResponseBody,
} from "./client/responses.js";
export {
  type InputItem,
  InputItems,
  type InputItemsList,
  type InputItemsListParams,
  InputItemsPage,
  InputItemsPagePromise,
  type ResponseDeleted,
} from "./client/stored-responses.js";
export {
  Conversation,
  type ConversationDefaults,
  type ConversationMode,
  type ConversationOptions,
  type ConversationTransport,
  type ToolOutput,
} from "./conversation/conversation.js";
export type {
  ConversationInput,
  ConversationItem,
} from "./conversation/items.js";
export {
  toInputItem,
  toInputItems,
} from "./conversation/public-items.js";
export {
  APIPromise,
  type WithResponse,
} from "./core/api-promise.js";
export type {
  Logger,
  LogLevel,
} from "./core/logger.js";
export {
  type ApiKeySource,
  type ClientOptions,
  DEFAULT_BASE_URL,
  DEFAULT_CLIENT_MAX_BODY_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type FetchLike,
  type FetchOptions,
  type HeaderValues,
  type RequestOptions,
} from "./core/options.js";
export type {
  ApplyPatchToolParam,
  ApproximateLocation,
  CodeInterpreterToolParam,
  ComputerUseToolParam,
  CustomToolParam,
  ExtensionContentParam,
  ExtensionItemParam,
  ExtensionToolParam,
  ExtraRequestFields,
  FileSearchToolParam,
  HostedToolParam,
  ImageGenerationToolParam,
  McpToolParam,
  OpenAIRequestFields,
  RequestItem,
  RequestTextFormat,
  RequestTextParam,
  RequestTool,
  RequestToolChoice,
  ResponseCreateParams,
  ShellToolParam,
  TypelessMessageParam,
  WebSearchToolParam,
} from "./core/request-types.js";
export type { ResponsesAPI, ResponsesClient } from "./core/responses-api.js";
export type { RetryTiming } from "./core/retry.js";
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  type APIErrorInit,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  EndpointNotSupportedError,
  type ErrorDetails,
  type HeaderRecord,
  InternalServerError,
  InvalidResponseIdError,
  NotFoundError,
  OpenResponsesError,
  PermissionDeniedError,
  PreviousResponseNotFoundError,
  ProtocolError,
  RateLimitError,
  RedirectError,
  ResponseStreamError,
  ResponseTooLargeError,
  type SizeLimitName,
  type StreamErrorKind,
  UnprocessableEntityError,
  WebSocketConnectionLimitError,
  WebSocketError,
} from "./errors.js";
export {
  type AnyStreamingEvent,
  type CompactParams,
  type ContentPart,
  type FunctionCallItem,
  type FunctionCallOutputItem,
  type InputContent,
  type Item,
  type MessageItem,
  type OutputContent,
  type OutputItem,
  type OutputItemType,
  outputText,
  type ReasoningItem,
  type ResponseError,
  type ResponseStatus,
  type ResponseTool,
  type ResponseWithOutputText,
  type StreamingEventOf,
  type StreamingEventType,
  type ToolChoice,
  type ToolParam,
  withOutputText,
} from "./spec/aliases.js";
export {
  type SchemaName,
  SpecValidationError,
  type ValidationIssue,
  type ValidationResult,
} from "./spec/errors.js";
export {
  type ExtensionContent,
  type ExtensionItem,
  type ExtensionStreamingEvent,
  HOSTED_TOOL_ITEM_TYPES,
  type HostedToolEventType,
  type HostedToolItemType,
  isExtensionType,
  type PrefixedType,
} from "./spec/extensions.js";
export { schemaNames } from "./spec/schemas.gen.js";
export type {
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
  SchemaTypes,
  ServiceTierEnum,
  SpecificFunctionParam,
  SpecificToolChoiceParam,
  StreamingEvent,
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
} from "./spec/types.gen.js";
export {
  assertValid,
  isValid,
  type ValidateOptions,
  validate,
} from "./spec/validate.js";
export {
  type AccumulatorViolation,
  ResponseAccumulator,
  type ResponseAccumulatorOptions,
} from "./streaming/accumulator.js";
export type {
  AliasedEventTypes,
  LifecycleEventName,
  OpenAIStreamingEventType,
  ResponseStreamEventName,
  ResponseStreamListener,
} from "./streaming/event-names.js";
export { type ParsedMessage, parseMessage } from "./streaming/event-parser.js";
export {
  isTerminalEventType,
  type NormalisedEventFields,
  type ProtocolViolation,
  type ResponseStreamEvent,
  STANDARD_EVENT_TYPES,
  type StreamDifference,
} from "./streaming/events.js";
export {
  MAX_RECORDED_VIOLATIONS,
  ProtocolChecker,
  type ProtocolCheckerOptions,
} from "./streaming/protocol-checker.js";
export {
  DEFAULT_TERMINAL_GRACE_MS,
  ResponseStream,
  type ResponseStreamOptions,
} from "./streaming/response-stream.js";
export {
  DEFAULT_MAX_EVENT_SIZE,
  SSEDecoder,
  type SSEDecoderOptions,
  type SSEMessage,
} from "./streaming/sse-decoder.js";
export {
  ResponseParseError,
  type ResponseParseErrorKind,
} from "./structured/errors.js";
export {
  type JSONSchemaObject,
  jsonSchemaFormat,
  jsonSchemaOf,
  type ParseableFunctionTool,
  type ParseableTextFormat,
  type SchemaFormatOptions,
  type SchemaFunctionInit,
  zodFunction,
  zodTextFormat,
} from "./structured/format.js";
export type {
  ParsedFormatOf,
  ParsedFunctionCall,
  ParsedFunctionCallOf,
  ParsedOutputItem,
  ParsedOutputMessage,
  ParsedOutputText,
  ParsedResponse,
  ParsedResponseOf,
  ParseTool,
} from "./structured/parse.js";
export type {
  SchemaIssue,
  SchemaOutput,
  SchemaResult,
  StandardSchema,
} from "./structured/standard-schema.js";
export {
  ToolExecutionError,
  ToolRunMaxTurnsError,
  type ToolRunProgress,
} from "./tools/errors.js";
export {
  DEFAULT_MAX_TOOL_CALLS_PER_TURN,
  DEFAULT_MAX_TURNS,
  DEFAULT_TOOL_CONCURRENCY,
  type RunToolsBody,
  type RunToolsOptions,
  type ToolCallRecord,
  type ToolRunEvent,
  type ToolRunResult,
  type ToolRunStopReason,
} from "./tools/run-types.js";
export { ToolRunStream } from "./tools/runner.js";
export {
  isRunnableTool,
  type RunnableTool,
  type SchemaToolInit,
  type ToolContext,
  type ToolInit,
  tool,
} from "./tools/tool.js";
export type { ConnectOptions } from "./websocket/connect.js";
export type {
  WebSocketConstructor,
  WebSocketLike,
} from "./websocket/platform.js";
export { ResponsesSocketPool } from "./websocket/pool.js";
export {
  type RecoveryOptions,
  ResponsesSocket,
  type ResponsesSocketOptions,
  type WebSocketCreateBody,
  WebSocketRequestError,
} from "./websocket/session.js";
