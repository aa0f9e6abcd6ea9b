/**
 * Helpers that build request items, content parts and tools, each returning the exact request type.
 * They check their arguments by hand and never pull in the validator, so using them costs a client
 * bundle a few hundred bytes.
 */

export {
  type FileByData,
  type FileByURL,
  type InputImageOptions,
  inputFile,
  inputImage,
  inputText,
  inputVideo,
} from "./content.js";
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
} from "./messages.js";
export { type FunctionToolInit, functionTool } from "./tools.js";
