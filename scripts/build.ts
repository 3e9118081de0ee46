// `make build`: one esbuild bundle per webhook, each wrapped by the runtime and packed into a
// deterministic zip; dist/manifest.json tells infra each zip's path and sha256.
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build, type BuildOptions as EsbuildOptions } from "esbuild";
import { DIST, MANIFEST, type BuiltFunction } from "./manifest";
import { listWebhooks, FUNCTIONS_DIR, type WebhookSource } from "./routes";
import { columns } from "./table";
import { zipFiles } from "./zip";

const ROOT = join(__dirname, "..");
const RUNTIME_ENTRY = join(ROOT, "runtime", "webhook.ts");

export interface BuildOptions {
  functionsDir?: string;
  outDir?: string;
  manifestPath?: string;
}

/**
 * Bundles an entry for the Lambda Node.js runtime. `extra` adds esbuild options: the benchmark
 * builds its comparison bundles through here, with plugins of its own.
 */
export async function bundleEntry(name: string, contents: string, extra: Partial<EsbuildOptions> = {}): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: `${name}.entry.ts`, loader: "ts" },
    absWorkingDir: ROOT,
    // Lets a functions folder outside the project (the build's own tests) resolve twilio.
    nodePaths: [join(ROOT, "node_modules")],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    charset: "utf8",
    legalComments: "none",
    // Provided by the Lambda runtime; the runtime itself never imports it (see runtime/ssm.ts).
    external: ["@aws-sdk/*"],
    write: false,
    logLevel: "silent",
    ...extra,
  });
  if (!result.outputFiles) throw new Error(`esbuild wrote ${name} to disk instead of returning it.`);
  return result.outputFiles[0].text;
}

/** Bundles one webhook into the CommonJS source of its Lambda's index.js. */
export function bundle(source: WebhookSource): Promise<string> {
  return bundleEntry(
    source.slug,
    [
      `import webhook from ${JSON.stringify(importPath(source.file))};`,
      `import { lambdaHandler } from ${JSON.stringify(importPath(RUNTIME_ENTRY))};`,
      `export const handler = lambdaHandler(webhook);`,
    ].join("\n"),
    // twilio's TwiML classes use a sliver of xmlbuilder, which is otherwise 59 KB of each bundle.
    { alias: { xmlbuilder: "./runtime/xml-builder.ts" } },
  );
}

/** Relative to ROOT, so no absolute path of this machine can reach the bundle. */
function importPath(file: string): string {
  const rel = relative(ROOT, file).split("\\").join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

export async function buildAll({ functionsDir = FUNCTIONS_DIR, outDir = join(DIST, "functions"), manifestPath = MANIFEST }: BuildOptions = {}): Promise<BuiltFunction[]> {
  const sources = listWebhooks(functionsDir);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const built = await Promise.all(
    sources.map(async (source): Promise<BuiltFunction> => {
      const zip = zipFiles([{ name: "index.js", data: Buffer.from(await bundle(source), "utf8") }]);
      const path = join(outDir, `${source.slug}.zip`);
      writeFileSync(path, zip);
      return {
        route: source.route,
        slug: source.slug,
        zip: path,
        sha256: createHash("sha256").update(zip).digest("base64"),
        bytes: zip.length,
      };
    }),
  );
  writeFileSync(manifestPath, JSON.stringify(built, null, 2) + "\n");
  return built;
}

export function formatTable(built: BuiltFunction[]): string {
  return columns([["function", "route", "zip size", "sha256"], ...built.map((f) => [f.slug, `/${f.route}`, `${(f.bytes / 1024).toFixed(1)} KB`, f.sha256.slice(0, 12)])]);
}

if (require.main === module) {
  const started = Date.now();
  buildAll()
    .then((built) => {
      console.log(formatTable(built));
      console.log(`${built.length} functions built in ${Date.now() - started} ms -> ${relative(process.cwd(), MANIFEST)}`);
    })
    .catch((err: Error) => {
      console.error(`build failed: ${err.message}`);
      process.exit(1);
    });
}
