/**
 * Everything the client loads only when a feature is first used, in one module: the WebSocket session's
 * engine (`ResponsesSocket`'s first turn or `ready()`), a `Conversation`'s turns and compaction, the tool
 * loop and what drives a `ToolRunStream` (`runTools`), the stored-response requests (`retrieve`,
 * `delete`, `inputItems.list`), reading a `parse()` answer through its schemas, the JSON answer of a
 * server that ignored `stream: true`, the transport's reading of an error answer, following of a
 * redirect and error for a JSON body past `maxBodyBytes`, and the unread body that `asResponse()` hands out.
 *
 * One module, so one chunk: a bundler splits the code that the entry and the lazily loaded modules share
 * by the set of modules that use it, and each lazily loaded module of its own would cut the client's
 * up-front code into more chunks, each compressed on its own (about 1.3 KB gzipped more, measured with
 * esbuild). The price is that the first of these features used loads them all.
 *
 * It sits outside the layers of `src/` (docs/ARCHITECTURE.md) because it gathers from several of them;
 * only dynamic `import()`s reach it.
 */

// Not loaded on demand, and not used here: the client's file, which every caller of this module has
// loaded already. esbuild puts a file in the chunk of the set of entries that reach it, used there or not:
// reached from here too, every file of the client's up-front code is in the one chunk it shares with this
// module, rather than split between that chunk and the app's own, so gzip compresses it whole (0.65 KB
// less). An import, not an export: every export of this module is live in any bundle that imports the
// package (a dynamic import may use any), which would bring the whole client into an app that only reads
// a `ResponseStream`; an import that nothing uses brings no code (`verbatimModuleSyntax` keeps it).
// biome-ignore lint/correctness/noUnusedImports: kept for the chunk layout, as said above.
import { OpenResponses as _reachClientFiles } from "./client/client.js";

export { answerFromJSON } from "./client/json-stream.js";
export { nextPage, pagesFrom, requestStored } from "./client/stored-requests.js";
export { compactConversation, runTurn } from "./conversation/turn.js";
export { notJSONError } from "./core/http-errors.js";
export { bodyTooLarge, errorAnswer, redirected } from "./core/rare-answers.js";
export { requestInputError } from "./core/request-input.js";
export { readerResponse, unreadCopy } from "./core/unread-body.js";
export { parseResponse } from "./structured/parse.js";
export { ToolRunDriver } from "./tools/run-driver.js";
export { SessionEngine } from "./websocket/session-engine.js";
