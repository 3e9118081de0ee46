// dist/manifest.json: what `make build` produced, and all that infra needs to know of it.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const DIST = join(__dirname, "..", "dist");
export const MANIFEST = join(DIST, "manifest.json");

export interface BuiltZip {
  /** Absolute path of the deployable zip (index.js, exporting `handler`). */
  zip: string;
  /** Base64 SHA-256 of the zip, as Terraform's source_code_hash wants it. */
  sha256: string;
  /** Zip size in bytes. */
  bytes: number;
}

/** One webhook's zips: index.js alone, and the same index.js with index.js.map beside it. */
export interface BuiltFunction extends BuiltZip {
  /** The route, from the path under functions/: "voice/hello". */
  route: string;
  /** The route as a name-safe slug: "voice-hello". */
  slug: string;
  /** The same bundle with its source map, deployed to stages with debug on. */
  sourceMapped: BuiltZip;
}

export function readManifest(path = MANIFEST): BuiltFunction[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`No build found at ${path}: run \`make build\` first.`);
  }
  const built = JSON.parse(text) as BuiltFunction[];
  if (built.some((f) => f.sourceMapped === undefined)) throw new Error(`${path} is from an older build, without source maps: run \`make build\` again.`);
  return built;
}
