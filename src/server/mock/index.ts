/**
 * The deterministic built-in model behind `openresponses serve`, `openresponses chat` with no server,
 * and `npm start`: useful offline, in demos, and in the tests of apps built on the client.
 */
export { COMPACTION_PREFIX } from "./compaction.js";
export { MOCK_MODEL_NAME, type MockModel, type MockModelOptions, mockModel } from "./model.js";
