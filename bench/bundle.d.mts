/** Bundles a TypeScript entry of the app's for plain Node (its packages left to node_modules); returns the file. */
export function bundleForNode(root: string, entry: string, name: string): Promise<string>;
/** Bundles bench/<name>.ts and imports it. */
export function loadEntry(root: string, name: string): Promise<unknown>;
