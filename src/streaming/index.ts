// Filled in by the part that owns this folder; see docs/ARCHITECTURE.md.
export {};
