/**
 * The part of the Gemini API's `generateContent` REST body the bridge sends (camelCase JSON, as the
 * API reference and `@google/genai`'s `Content`, `Part`, `Tool`, `ToolConfig` and `GenerationConfig`
 * types spell it; a type-level test checks that every request this bridge builds is made of those).
 * Responses are read field by field, unchecked.
 */

/** How the bridge's messages name its upstream. */
export const UPSTREAM = "The Gemini API";

/** Call ids the bridge made up because Gemini sent none; they are not sent back as Gemini ids. */
export const SYNTHETIC_CALL_PREFIX = "gcall_";

export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType: string; fileUri: string };
  functionCall?: { name: string; args: Record<string, unknown>; id?: string };
  functionResponse?: {
    name: string;
    response: Record<string, unknown>;
    id?: string;
    parts?: Array<{ inlineData: { mimeType: string; data: string } }>;
  };
  mediaResolution?: { level: "MEDIA_RESOLUTION_LOW" | "MEDIA_RESOLUTION_HIGH" };
}

export interface GeminiContent {
  role: "user" | "model";
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parametersJsonSchema?: unknown;
}

export type GeminiFunctionCallingMode = "AUTO" | "ANY" | "NONE" | "VALIDATED";

export interface GeminiThinkingConfig {
  includeThoughts?: boolean;
  thinkingBudget?: number;
  thinkingLevel?: "MINIMAL" | "LOW" | "MEDIUM" | "HIGH";
}

export interface GeminiGenerationConfig {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseJsonSchema?: unknown;
  thinkingConfig?: GeminiThinkingConfig;
}

/** The body of `POST models/{model}:streamGenerateContent?alt=sse`. */
export interface GeminiRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: Array<{ functionDeclarations: GeminiFunctionDeclaration[] }>;
  toolConfig?: {
    functionCallingConfig: { mode: GeminiFunctionCallingMode; allowedFunctionNames?: string[] };
  };
  generationConfig?: GeminiGenerationConfig;
}
