/**
 * A tiny GGUF model written from scratch, so the tests of the llama.cpp model run real inference with
 * nothing downloaded and no model file in the repository: a random 2-layer llama (64-wide, F32 weights,
 * about 600 KB), a SentencePiece vocabulary of single characters with byte fallback, the chat control
 * tokens, and a chat template of our own with tool calls and thinking.
 *
 * The weights come from a seeded generator, so a seed always gives the same file and, at temperature 0,
 * the same text. A few habits are set by hand (see `tinyModelBytes`): the model ends a turn after a few
 * dozen tokens on average instead of filling its context (`stopBias`), ends a string before long
 * (`quoteBias`), and ends its turn right after a tool call.
 *
 * The format (little-endian): "GGUF", version 3, the tensor and key/value counts, the key/value pairs
 * (typed values; strings and arrays length-prefixed with u64), the tensor infos (name, dimensions with
 * the fastest-varying first, type, offset into the data), padding to 32 bytes, then the tensor data,
 * each tensor starting on a 32-byte boundary. See ggml's docs/gguf.md.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "./seeded-random.js";

const ALIGNMENT = 32;

/** Metadata value types (gguf_metadata_value_type). */
enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}

/** Token types of `tokenizer.ggml.token_type`. */
enum TokenType {
  NORMAL = 1,
  UNKNOWN = 2,
  CONTROL = 3,
  USER_DEFINED = 4,
  BYTE = 6,
}

type MetadataValue =
  | { type: "u32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: string[] }
  | { type: "f32[]"; value: number[] }
  | { type: "i32[]"; value: number[] };

interface Tensor {
  name: string;
  /** Dimensions, fastest-varying first (ggml's `ne`): a weight of shape [out][in] is [in, out]. */
  dims: number[];
  data: Float32Array;
}

/** Grows a byte buffer as values are appended; everything little-endian. */
class ByteWriter {
  #buffer = new Uint8Array(1 << 16);
  #view = new DataView(this.#buffer.buffer);
  length = 0;

  #reserve(bytes: number): void {
    if (this.length + bytes <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buffer.subarray(0, this.length));
    this.#buffer = next;
    this.#view = new DataView(next.buffer);
  }

  u32(value: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.length, value, true);
    this.length += 4;
  }

  i32(value: number): void {
    this.#reserve(4);
    this.#view.setInt32(this.length, value, true);
    this.length += 4;
  }

  u64(value: number): void {
    this.#reserve(8);
    this.#view.setBigUint64(this.length, BigInt(value), true);
    this.length += 8;
  }

  f32(value: number): void {
    this.#reserve(4);
    this.#view.setFloat32(this.length, value, true);
    this.length += 4;
  }

  bytes(data: Uint8Array): void {
    this.#reserve(data.length);
    this.#buffer.set(data, this.length);
    this.length += data.length;
  }

  /** A gguf_string_t: u64 byte length, then UTF-8 bytes without a terminator. */
  string(value: string): void {
    const encoded = new TextEncoder().encode(value);
    this.u64(encoded.length);
    this.bytes(encoded);
  }

  padTo(alignment: number): void {
    const padding = (alignment - (this.length % alignment)) % alignment;
    this.bytes(new Uint8Array(padding));
  }

  result(): Uint8Array {
    return this.#buffer.slice(0, this.length);
  }
}

function writeValue(out: ByteWriter, value: MetadataValue): void {
  switch (value.type) {
    case "u32":
      out.u32(ValueType.UINT32);
      out.u32(value.value);
      return;
    case "f32":
      out.u32(ValueType.FLOAT32);
      out.f32(value.value);
      return;
    case "bool":
      out.u32(ValueType.BOOL);
      out.bytes(Uint8Array.of(value.value ? 1 : 0));
      return;
    case "string":
      out.u32(ValueType.STRING);
      out.string(value.value);
      return;
    case "string[]":
      out.u32(ValueType.ARRAY);
      out.u32(ValueType.STRING);
      out.u64(value.value.length);
      for (const entry of value.value) out.string(entry);
      return;
    case "f32[]":
      out.u32(ValueType.ARRAY);
      out.u32(ValueType.FLOAT32);
      out.u64(value.value.length);
      for (const entry of value.value) out.f32(entry);
      return;
    case "i32[]":
      out.u32(ValueType.ARRAY);
      out.u32(ValueType.INT32);
      out.u64(value.value.length);
      for (const entry of value.value) out.i32(entry);
      return;
  }
}

/** Serialises a GGUF v3 file with F32 tensors. */
export function encodeGGUF(metadata: Record<string, MetadataValue>, tensors: Tensor[]): Uint8Array {
  const out = new ByteWriter();
  out.bytes(new TextEncoder().encode("GGUF"));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    out.string(key);
    writeValue(out, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(0); // GGML_TYPE_F32
    out.u64(offset);
    const size = tensor.data.byteLength;
    offset += size + ((ALIGNMENT - (size % ALIGNMENT)) % ALIGNMENT);
  }
  out.padTo(ALIGNMENT);
  for (const tensor of tensors) {
    out.bytes(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.padTo(ALIGNMENT);
  }
  return out.result();
}

/** Normally distributed values (Box–Muller) with the given standard deviation. */
function gaussian(random: () => number, count: number, std: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random())) * std;
    const angle = 2 * Math.PI * random();
    values[i] = radius * Math.cos(angle);
    if (i + 1 < count) values[i + 1] = radius * Math.sin(angle);
  }
  return values;
}

/**
 * The chat template: ChatML-style turns, tools listed in the system turn, calls as
 * `<tool_call>{"name": ..., "arguments": ...}</tool_call>`, results in a `tool` turn, and reasoning in
 * `<think>` ... `</think>` at the start of an assistant turn.
 */
export const TINY_CHAT_TEMPLATE = `{%- if tools %}<|im_start|>system
{% if messages[0].role == "system" %}{{ messages[0].content }}

{% endif %}Tools you may call, one JSON object per call inside <tool_call></tool_call>:
{% for tool in tools %}{{ tool | tojson }}
{% endfor %}<|im_end|>
{% elif messages[0].role == "system" %}<|im_start|>system
{{ messages[0].content }}<|im_end|>
{% endif -%}
{%- for message in messages -%}
{%- if message.role == "user" -%}
<|im_start|>user
{{ message.content }}<|im_end|>
{% elif message.role == "assistant" -%}
<|im_start|>assistant
{% if message.reasoning_content %}<think>
{{ message.reasoning_content }}
</think>

{% endif %}{% if message.content %}{{ message.content }}{% endif %}{% if message.tool_calls %}{% for call in message.tool_calls %}<tool_call>
{"name": "{{ call.function.name }}", "arguments": {{ call.function.arguments | tojson }}}
</tool_call>{% endfor %}{% endif %}<|im_end|>
{% elif message.role == "tool" -%}
<|im_start|>tool
{{ message.content }}<|im_end|>
{% endif -%}
{%- endfor -%}
{%- if add_generation_prompt %}<|im_start|>assistant
{% endif -%}`;

export interface TinyModelOptions {
  /** The weights' seed (default 1). */
  seed?: number;
  /** The context length the model declares (default 2048). */
  contextLength?: number;
  /** How strongly the end-of-turn token is preferred; higher stops sooner (default 0.7). */
  stopBias?: number;
  /** How strongly `"` is preferred, which ends the strings of structured output (default 2.2). */
  quoteBias?: number;
  /** The chat template (default `TINY_CHAT_TEMPLATE`). */
  chatTemplate?: string;
}

const SPECIAL_TOKENS: Array<[string, TokenType]> = [
  ["<unk>", TokenType.UNKNOWN],
  ["<s>", TokenType.CONTROL],
  ["</s>", TokenType.CONTROL],
  ["<|im_start|>", TokenType.CONTROL],
  ["<|im_end|>", TokenType.CONTROL],
  ["<think>", TokenType.USER_DEFINED],
  ["</think>", TokenType.USER_DEFINED],
  ["<tool_call>", TokenType.USER_DEFINED],
  ["</tool_call>", TokenType.USER_DEFINED],
];

/** The vocabulary: the special tokens, the 256 byte-fallback tokens, then printable ASCII ("▁" is space). */
function vocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  for (const [text, type] of SPECIAL_TOKENS) {
    tokens.push(text);
    scores.push(0);
    types.push(type);
  }
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    scores.push(0);
    types.push(TokenType.BYTE);
  }
  tokens.push("▁");
  scores.push(-1);
  types.push(TokenType.NORMAL);
  for (let code = 33; code < 127; code++) {
    tokens.push(String.fromCharCode(code));
    scores.push(-1 - (code - 32) / 1000);
    types.push(TokenType.NORMAL);
  }
  return { tokens, scores, types };
}

/** The GGUF bytes of a tiny random llama. */
export function tinyModelBytes(options: TinyModelOptions = {}): Uint8Array {
  const random = seededRandom(options.seed ?? 1);
  const embd = 64;
  const heads = 4;
  const kvHeads = 2;
  const headDim = embd / heads;
  const ff = 128;
  const layers = 2;
  const vocab = vocabulary();
  const size = vocab.tokens.length;
  const eos = 2;
  const endOfTurn = 4;
  const toolCallEnd = 8;

  // Habits are built in through the residual stream, which carries a token's embedding to the output.
  // Dimension 0 is a constant in every embedding, read only by the end-of-turn rows and by the double
  // quote's: a fixed preference for ending a turn, and a string of structured output, that the random
  // weights perturb. Dimension 1 is set only in the embedding of `</tool_call>` and read only by
  // the end-of-turn rows: after a tool call, the model ends its turn, as chat models are trained to.
  const tokenEmbedding = gaussian(random, embd * size, 1);
  const output = gaussian(random, embd * size, 0.5);
  for (let token = 0; token < size; token++) {
    tokenEmbedding[token * embd] = 4;
    tokenEmbedding[token * embd + 1] = 0;
    output[token * embd] = 0;
    output[token * embd + 1] = 0;
  }
  const stopBias = options.stopBias ?? 0.7;
  for (const token of [eos, endOfTurn]) output[token * embd] = stopBias;
  output[vocab.tokens.indexOf('"') * embd] = options.quoteBias ?? 2.2;
  tokenEmbedding[toolCallEnd * embd + 1] = 12;
  for (const token of [eos, endOfTurn]) output[token * embd + 1] = 4;

  const ones = (count: number) => new Float32Array(count).fill(1);
  const tensors: Tensor[] = [
    { name: "token_embd.weight", dims: [embd, size], data: tokenEmbedding },
    { name: "output_norm.weight", dims: [embd], data: ones(embd) },
    { name: "output.weight", dims: [embd, size], data: output },
  ];
  for (let layer = 0; layer < layers; layer++) {
    const prefix = `blk.${layer}`;
    const small = (count: number) => gaussian(random, count, 0.05);
    tensors.push(
      { name: `${prefix}.attn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `${prefix}.attn_q.weight`, dims: [embd, embd], data: small(embd * embd) },
      {
        name: `${prefix}.attn_k.weight`,
        dims: [embd, headDim * kvHeads],
        data: small(embd * headDim * kvHeads),
      },
      {
        name: `${prefix}.attn_v.weight`,
        dims: [embd, headDim * kvHeads],
        data: small(embd * headDim * kvHeads),
      },
      { name: `${prefix}.attn_output.weight`, dims: [embd, embd], data: small(embd * embd) },
      { name: `${prefix}.ffn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `${prefix}.ffn_gate.weight`, dims: [embd, ff], data: small(embd * ff) },
      { name: `${prefix}.ffn_up.weight`, dims: [embd, ff], data: small(embd * ff) },
      { name: `${prefix}.ffn_down.weight`, dims: [ff, embd], data: small(ff * embd) },
    );
  }

  const metadata: Record<string, MetadataValue> = {
    "general.architecture": { type: "string", value: "llama" },
    "general.name": { type: "string", value: "openresponses tiny test model" },
    "general.file_type": { type: "u32", value: 0 },
    "llama.context_length": { type: "u32", value: options.contextLength ?? 2048 },
    "llama.embedding_length": { type: "u32", value: embd },
    "llama.block_count": { type: "u32", value: layers },
    "llama.feed_forward_length": { type: "u32", value: ff },
    "llama.rope.dimension_count": { type: "u32", value: headDim },
    "llama.attention.head_count": { type: "u32", value: heads },
    "llama.attention.head_count_kv": { type: "u32", value: kvHeads },
    "llama.attention.layer_norm_rms_epsilon": { type: "f32", value: 1e-5 },
    "llama.vocab_size": { type: "u32", value: size },
    "tokenizer.ggml.model": { type: "string", value: "llama" },
    "tokenizer.ggml.tokens": { type: "string[]", value: vocab.tokens },
    "tokenizer.ggml.scores": { type: "f32[]", value: vocab.scores },
    "tokenizer.ggml.token_type": { type: "i32[]", value: vocab.types },
    "tokenizer.ggml.bos_token_id": { type: "u32", value: 1 },
    "tokenizer.ggml.eos_token_id": { type: "u32", value: eos },
    "tokenizer.ggml.unknown_token_id": { type: "u32", value: 0 },
    "tokenizer.ggml.add_bos_token": { type: "bool", value: true },
    "tokenizer.ggml.add_eos_token": { type: "bool", value: false },
    "tokenizer.ggml.add_space_prefix": { type: "bool", value: false },
    "tokenizer.chat_template": { type: "string", value: options.chatTemplate ?? TINY_CHAT_TEMPLATE },
  };
  return encodeGGUF(metadata, tensors);
}

export interface TinyModelFile {
  path: string;
  /** Deletes the file and its folder. */
  remove(): void;
}

/** Writes a tiny model to a fresh temporary folder. */
export function writeTinyModel(options: TinyModelOptions = {}): TinyModelFile {
  const dir = mkdtempSync(join(tmpdir(), "openresponses-gguf-"));
  const path = join(dir, "tiny-llama.gguf");
  writeFileSync(path, tinyModelBytes(options));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
