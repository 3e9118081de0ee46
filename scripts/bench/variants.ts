// The builds of every webhook compared by the benchmark, from the same handler source: denwa's
// own two zips (scripts/build.ts; with and without its source map), the naive one a tutorial
// produces (twilio from its package root), and the floor (the same answer by hand, floor/).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { bundleEntry, bundleWebhook, packBundle } from "../build";
import type { WebhookSource } from "../../contract/webhooks";
import { zipFiles } from "../zip";
import { readZip } from "../../local/zip";
import * as floorHandlers from "./floor/handlers";

/** mapped: denwa's zip for debug stages, with index.js.map, run with --enable-source-maps. */
export const VARIANTS = ["denwa", "mapped", "naive", "floor"] as const;
export type VariantName = (typeof VARIANTS)[number];

export interface BuiltVariant {
  variant: VariantName;
  route: string;
  slug: string;
  zipBytes: number;
  /** The folder the zip was unpacked into (index.js, and index.js.map for mapped), with no node_modules above it. */
  dir: string;
}

const ROOT = join(__dirname, "..", "..");

/** What the variant's function environment adds: debug stages run the mapped zip with source maps on. */
export function variantEnv(variant: VariantName): NodeJS.ProcessEnv {
  return variant === "mapped" ? { NODE_OPTIONS: "--enable-source-maps" } : {};
}

/** What each deep twilio path denwa uses is, on the package root a tutorial imports. */
const ROOT_EQUIVALENTS: Record<string, string> = {
  "twilio/lib/twiml/VoiceResponse": 'require("twilio").twiml.VoiceResponse',
  "twilio/lib/twiml/MessagingResponse": 'require("twilio").twiml.MessagingResponse',
  "twilio/lib/webhooks/webhooks": 'require("twilio")',
};

/** Sends every deep twilio import through the package root, as `import twilio from "twilio"` does. */
export const twilioFromPackageRoot: Plugin = {
  name: "twilio-from-package-root",
  setup(b) {
    b.onResolve({ filter: /^twilio\/lib\// }, (args) =>
      args.path in ROOT_EQUIVALENTS
        ? { path: args.path, namespace: "twilio-root" }
        : { errors: [{ text: `${args.path} has no package-root equivalent in the naive variant; add it to ROOT_EQUIVALENTS.` }] },
    );
    b.onLoad({ filter: /.*/, namespace: "twilio-root" }, (args) => ({
      contents: `module.exports = ${ROOT_EQUIVALENTS[args.path]};`,
      resolveDir: ROOT,
      loader: "js",
    }));
  },
};

/** "voice-hello" -> "voiceHello": the floor handler's export name. */
function floorName(slug: string): string {
  return slug.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function hasFloor(source: WebhookSource): boolean {
  return floorName(source.slug) in floorHandlers;
}

function rel(path: string): string {
  return JSON.stringify("./" + path.slice(ROOT.length + 1).split("\\").join("/"));
}

async function variantSource(variant: "naive" | "floor", source: WebhookSource): Promise<string> {
  if (variant === "naive") {
    return bundleEntry(source.slug, [
      `import webhook from ${rel(source.file)};`,
      `import { lambdaHandler } from ${rel(join(ROOT, "runtime", "webhook.ts"))};`,
      `export const handler = lambdaHandler(webhook);`,
    ].join("\n"), { plugins: [twilioFromPackageRoot] });
  }
  return bundleEntry(source.slug, [
    `import { floorHandler } from ${rel(join(__dirname, "floor", "runtime.ts"))};`,
    `import { ${floorName(source.slug)} as render } from ${rel(join(__dirname, "floor", "handlers.ts"))};`,
    `export const handler = floorHandler(render);`,
  ].join("\n"));
}

/** Each variant's zip: denwa's two are the very zips `make build` writes. */
async function variantZips(workDir: string, source: WebhookSource): Promise<Map<VariantName, Buffer>> {
  const zipDir = join(workDir, "zips");
  mkdirSync(zipDir, { recursive: true });
  const built = packBundle(source, await bundleWebhook(source), zipDir);
  const zips = new Map<VariantName, Buffer>([
    ["denwa", readFileSync(built.zip)],
    ["mapped", readFileSync(built.sourceMapped.zip)],
    ["naive", zipFiles([{ name: "index.js", data: Buffer.from(await variantSource("naive", source), "utf8") }])],
  ]);
  if (hasFloor(source)) zips.set("floor", zipFiles([{ name: "index.js", data: Buffer.from(await variantSource("floor", source), "utf8") }]));
  return zips;
}

/**
 * Builds, zips and unpacks every variant of every webhook under `workDir` (which must lie outside
 * the project, so that a bundle cannot lean on the project's node_modules).
 */
export async function buildVariants(workDir: string, sources: WebhookSource[]): Promise<BuiltVariant[]> {
  const built: BuiltVariant[] = [];
  for (const source of sources) {
    for (const [variant, zip] of await variantZips(workDir, source)) {
      const dir = join(workDir, variant, source.slug);
      mkdirSync(dir, { recursive: true });
      for (const entry of readZip(zip, `${variant} ${source.slug}`)) writeFileSync(join(dir, entry.name), entry.data);
      built.push({ variant, route: source.route, slug: source.slug, zipBytes: zip.length, dir });
    }
  }
  return built;
}
