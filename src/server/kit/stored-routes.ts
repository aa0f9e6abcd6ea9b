/**
 * Endpoints that OpenAI-compatible servers also serve, backed by the kit's `ResponseStore` (extensions:
 * the Open Responses specification defines only `POST /responses` and `/responses/compact`):
 *
 *   GET    {base}/responses/{id}              the stored `ResponseResource`
 *   DELETE {base}/responses/{id}              `{ id, object: "response", deleted: true }`
 *   GET    {base}/responses/{id}/input_items  the context it was made from, as a cursor-paginated list
 *
 * The list has OpenAI's shape: `{ object: "list", data, first_id, last_id, has_more }`, with `after`
 * (an item id), `limit` (1–100, default 20) and `order` (`asc` or `desc`, default `desc`).
 */

import type { ItemField, ItemParam } from "../../spec/index.js";
import type { ResponseStore, StoredResponse } from "../model.js";
import { invalidRequest, type KitError, kitError } from "./kit-error.js";

export type StoredRoute = { kind: "response"; id: string } | { kind: "input_items"; id: string };

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** `{base}/responses/{id}` or `{base}/responses/{id}/input_items`; null for any other path. */
export function matchStoredRoute(path: string, basePath: string): StoredRoute | null {
  const prefix = `${basePath}/responses/`;
  if (!path.startsWith(prefix)) return null;
  const rest = path.slice(prefix.length).split("/");
  const raw = rest[0];
  if (raw === undefined || raw === "") return null;
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (rest.length === 1) return { kind: "response", id };
  if (rest.length === 2 && rest[1] === "input_items") return { kind: "input_items", id };
  return null;
}

/** The methods each stored route answers (for 405 and CORS). */
export function allowedMethods(route: StoredRoute): string[] {
  return route.kind === "response" ? ["GET", "DELETE"] : ["GET"];
}

export type StoredAnswer = { status: number; body: unknown } | { error: KitError };

export async function answerStoredRoute(
  route: StoredRoute,
  method: string,
  query: URLSearchParams,
  store: ResponseStore,
): Promise<StoredAnswer> {
  const found = await read(store, route.id);
  if ("error" in found) return found;
  if (route.kind === "response" && method === "DELETE") {
    if (store.delete === undefined) {
      return {
        error: kitError(
          501,
          "invalid_request",
          "This server's response store cannot delete responses (its ResponseStore has no `delete`).",
          { code: "unsupported_endpoint" },
        ),
      };
    }
    try {
      await store.delete(route.id);
    } catch (error) {
      return { error: storeFailed(error) };
    }
    return { status: 200, body: { id: route.id, object: "response", deleted: true } };
  }
  if (route.kind === "response") return { status: 200, body: found.stored.response };
  return listInputItems(found.stored, query);
}

async function read(
  store: ResponseStore,
  id: string,
): Promise<{ stored: StoredResponse } | { error: KitError }> {
  let stored: StoredResponse | undefined;
  try {
    stored = await store.get(id);
  } catch (error) {
    return { error: storeFailed(error) };
  }
  if (stored === undefined) {
    return {
      error: kitError(404, "not_found", `Response with id '${id}' not found.`, {
        param: "response_id",
        code: "response_not_found",
      }),
    };
  }
  return { stored };
}

type ListedItem = (ItemParam | ItemField) & { id: string };

function listInputItems(stored: StoredResponse, query: URLSearchParams): StoredAnswer {
  const limitText = query.get("limit");
  const limit = limitText === null || limitText === "" ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return {
      error: invalidRequest(
        `limit must be an integer from 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}); got ${JSON.stringify(limitText)}.`,
        "limit",
        "invalid_value",
      ),
    };
  }
  const order = query.get("order") ?? "desc";
  if (order !== "asc" && order !== "desc") {
    return {
      error: invalidRequest(
        `order must be "asc" or "desc" (default "desc"); got ${JSON.stringify(order)}.`,
        "order",
        "invalid_value",
      ),
    };
  }
  const items = withIds(stored);
  if (order === "desc") items.reverse();
  const after = query.get("after");
  let start = 0;
  if (after !== null && after !== "") {
    const index = items.findIndex((item) => item.id === after);
    if (index === -1) {
      return {
        error: invalidRequest(
          `after must be the id of an item of this response's input items; '${after}' is not one.`,
          "after",
          "invalid_value",
        ),
      };
    }
    start = index + 1;
  }
  const data = items.slice(start, start + limit);
  return {
    status: 200,
    body: {
      object: "list",
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: start + limit < items.length,
    },
  };
}

/**
 * The stored context with an `id` on every item: an item sent without one is listed under a stable id
 * made from the response id and its position, so `after` cursors work across pages.
 */
function withIds(stored: StoredResponse): ListedItem[] {
  const suffix = stored.response.id.replace(/^resp_/, "");
  return stored.input.map((item, index) =>
    typeof item.id === "string" && item.id !== ""
      ? (item as ListedItem)
      : ({ ...item, id: `item_${suffix}_${index}` } as ListedItem),
  );
}

function storeFailed(error: unknown): KitError {
  const unavailable = (error as { code?: unknown } | null)?.code === "store_unavailable";
  return kitError(
    500,
    "server_error",
    unavailable ? "The response store is unavailable; try again shortly." : "The response store failed.",
    { code: unavailable ? "store_unavailable" : "store_error" },
  );
}
