// dist/manifest.json: what `make build` produced, and all that infra needs to know of it.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const DIST = join(__dirname, "..", "dist");
export const MANIFEST = join(DIST, "manifest.json");

export interface BuiltFunction {
  /** The route, from the path under functions/: "voice/hello". */
  route: string;
  /** The route as a name-safe slug: "voice-hello". */
  slug: string;
  /** Absolute path of the deployable zip (one file, index.js, exporting `handler`). */
  zip: string;
  /** Base64 SHA-256 of the zip, as Terraform's source_code_hash wants it. */
  sha256: string;
  /** Zip size in bytes. */
  bytes: number;
}

export function readManifest(path = MANIFEST): BuiltFunction[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`No build found at ${path}: run \`make build\` first.`);
  }
  return JSON.parse(text) as BuiltFunction[];
}
