/**
 * The streaming engine: SSE decoder → event parser → protocol checker → accumulator → `ResponseStream`.
 * Transport-agnostic: the HTTP client and the WebSocket session both hand their messages to it.
 */
export {
  type AccumulatorViolation,
  ResponseAccumulator,
  type ResponseAccumulatorOptions,
} from "./accumulator.js";
export type {
  AliasedEventTypes,
  LifecycleEventName,
  OpenAIStreamingEventType,
  ResponseStreamEventName,
} from "./event-names.js";
export { type ParsedMessage, parseMessage } from "./event-parser.js";
export {
  isTerminalEventType,
  type NormalisedEventFields,
  type ProtocolViolation,
  type ResponseStreamEvent,
  STANDARD_EVENT_TYPES,
  type StreamDifference,
} from "./events.js";
export {
  MAX_RECORDED_VIOLATIONS,
  ProtocolChecker,
  type ProtocolCheckerOptions,
} from "./protocol-checker.js";
export {
  DEFAULT_TERMINAL_GRACE_MS,
  ResponseStream,
  type ResponseStreamListener,
  type ResponseStreamOptions,
} from "./response-stream.js";
export {
  DEFAULT_MAX_EVENT_SIZE,
  SSEDecoder,
  type SSEDecoderOptions,
  type SSEMessage,
} from "./sse-decoder.js";
