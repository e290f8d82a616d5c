// Types of the ESM entry: the module is ready when the import resolves.
export * from "./hegui.js";
