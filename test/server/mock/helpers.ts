import { mockModel } from "../../../src/server/mock/index.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";

export type Item = Record<string, unknown>;

export const user = (content: unknown): Item => ({ type: "message", role: "user", content });

/** Runs the built-in model directly (no kit) and collects its parts. */
export async function runModel(
  body: Record<string, unknown>,
  input?: readonly unknown[],
  extra: Partial<ModelRequest> = {},
  options: Parameters<typeof mockModel>[0] = {},
): Promise<ModelPart[]> {
  const items =
    input ?? (typeof body.input === "string" ? [user(body.input)] : ((body.input as Item[]) ?? []));
  const request = {
    body: { model: "openresponses-mock", ...body },
    input: items,
    responseId: "resp_test",
    signal: new AbortController().signal,
    ...extra,
  } as unknown as ModelRequest;
  const parts: ModelPart[] = [];
  for await (const part of mockModel(options)(request)) parts.push(part);
  return parts;
}

/** The concatenated text deltas. */
export function textOf(parts: ModelPart[]): string {
  return parts.map((part) => (part.type === "text" ? part.delta : "")).join("");
}

export async function ask(text: string, body: Record<string, unknown> = {}): Promise<string> {
  return textOf(await runModel({ input: text, ...body }));
}

export function ofType<T extends ModelPart["type"]>(
  parts: ModelPart[],
  type: T,
): Array<Extract<ModelPart, { type: T }>> {
  return parts.filter((part): part is Extract<ModelPart, { type: T }> => part.type === type);
}
