// `make build`: one esbuild bundle per webhook, each wrapped by the runtime and packed into two
// deterministic zips, one without and one with its source map (for stages with debug on);
// dist/manifest.json tells infra each zip's path and sha256.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build, context, type BuildContext, type BuildOptions as EsbuildOptions, type BuildResult, type Message, type Metafile } from "esbuild";
import { UserError, type BuiltFunction, type BuiltZip } from "../contract";
import { runCommand } from "../contract/cli";
import { DIST, FUNCTIONS_DIR, listWebhooks, MANIFEST, type WebhookSource } from "../contract/webhooks";
import { columns } from "./table";
import { zipFiles } from "./zip";

const ROOT = join(__dirname, "..");
const RUNTIME_ENTRY = join(ROOT, "runtime", "webhook.ts");
/** Where esbuild believes index.js lies: source map paths come out relative to the project. */
const OUTFILE = join(ROOT, "index.js");
/** The line esbuild appends to a bundle that has a linked source map. */
const MAP_COMMENT = "//# sourceMappingURL=index.js.map\n";

export interface BuildOptions {
  functionsDir?: string;
  outDir?: string;
  manifestPath?: string;
}

function entryOptions(name: string, contents: string, extra: Partial<EsbuildOptions>): EsbuildOptions {
  return {
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
  };
}

/**
 * Bundles an entry for the Lambda Node.js runtime. `extra` adds esbuild options: the benchmark
 * builds its comparison bundles through here, with plugins of its own.
 */
export async function bundleEntry(name: string, contents: string, extra: Partial<EsbuildOptions> = {}): Promise<string> {
  const result = await build(entryOptions(name, contents, extra));
  if (!result.outputFiles) throw new Error(`esbuild wrote ${name} to disk instead of returning it.`);
  return result.outputFiles[0].text;
}

/** The webhook wrapped by the runtime, with a linked source map and a metafile of what was read. */
function webhookOptions(source: WebhookSource): EsbuildOptions {
  return entryOptions(
    source.slug,
    [
      `import webhook from ${JSON.stringify(importPath(source.file))};`,
      `import { lambdaHandler } from ${JSON.stringify(importPath(RUNTIME_ENTRY))};`,
      `export const handler = lambdaHandler(webhook);`,
    ].join("\n"),
    {
      // twilio's TwiML classes use a sliver of xmlbuilder, which is otherwise 59 KB of each bundle.
      alias: { xmlbuilder: "./runtime/xml-builder.ts" },
      outfile: OUTFILE,
      sourcemap: "linked",
      // A stack trace needs file names and lines only; the sources themselves would triple the map.
      sourcesContent: false,
      metafile: true,
    },
  );
}

/** One webhook's bundle: index.js alone, index.js with its map, and every file esbuild read. */
export interface Bundle {
  code: string;
  map: string;
  /** Absolute paths. */
  inputs: string[];
}

function bundleOf(source: WebhookSource, result: BuildResult<{ metafile: true; write: false }>): Bundle {
  const map = result.outputFiles.find((f) => f.path.endsWith(".map"));
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"));
  if (!map || !js || !js.text.endsWith(MAP_COMMENT)) throw new Error(`esbuild gave no bundle with a source map for ${source.route}.`);
  return { code: js.text.slice(0, -MAP_COMMENT.length), map: map.text, inputs: inputsOf(result.metafile) };
}

/** The files a build read, from its metafile; the generated entry is not a file. */
function inputsOf(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter((path) => !path.startsWith("<stdin>")).map((path) => join(ROOT, path));
}

/** Bundles one webhook into the CommonJS source of its Lambda's index.js. */
export async function bundle(source: WebhookSource): Promise<string> {
  return (await bundleWebhook(source)).code;
}

export async function bundleWebhook(source: WebhookSource): Promise<Bundle> {
  return bundleOf(source, (await inUserTerms(source, build(webhookOptions(source)))) as BuildResult<{ metafile: true; write: false }>);
}

/** A long-lived esbuild context for one webhook: `make dev` rebuilds only what changed, incrementally. */
export interface WebhookBuilder {
  source: WebhookSource;
  rebuild(): Promise<Bundle>;
  dispose(): Promise<void>;
}

export async function webhookBuilder(source: WebhookSource): Promise<WebhookBuilder> {
  const ctx: BuildContext = await context(webhookOptions(source));
  return {
    source,
    rebuild: async () => bundleOf(source, (await inUserTerms(source, ctx.rebuild())) as BuildResult<{ metafile: true; write: false }>),
    dispose: () => ctx.dispose(),
  };
}

/**
 * A failed build told in the user's own files: esbuild's errors at their file and line, and the
 * generated entry's one failure (no default export to wrap) told of the handler instead.
 */
function inUserTerms<T>(source: WebhookSource, building: Promise<T>): Promise<T> {
  return building.catch((err: unknown) => {
    const handler = relative(process.cwd(), source.file);
    const errors = (err as { errors?: Message[] }).errors;
    if (!errors?.length) throw new BundleError(`${handler}: ${err instanceof Error ? err.message : String(err)}`, [source.file]);
    const named = errors.flatMap(({ location }) => (location && !location.file.endsWith(".entry.ts") ? [join(ROOT, location.file)] : []));
    throw new BundleError(
      errors
        .map(({ text, location }) => {
          if (location && !location.file.endsWith(".entry.ts")) {
            return `${relative(process.cwd(), join(ROOT, location.file))}:${location.line}:${location.column + 1}: ${text}`;
          }
          return /for import "default"/.test(text)
            ? `${handler} has no default export: a webhook exports its handler with \`export default\` (name shared code *.private.ts).`
            : `${handler}: ${text}`;
        })
        .join("\n"),
      [source.file, ...named],
    );
  });
}

/** A failed bundle, told in the user's files; `files` are those it names, which make dev watches for the fix. */
export class BundleError extends UserError {
  constructor(
    message: string,
    readonly files: string[],
  ) {
    super(message);
  }
}

/** Relative to ROOT, so no absolute path of this machine can reach the bundle. */
function importPath(file: string): string {
  const rel = relative(ROOT, file).split("\\").join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/**
 * Writes the zip unless the same bytes are already there: an unchanged file keeps its time, so the
 * emulator keeps that function's warm environments.
 */
function writeZip(path: string, zip: Buffer): BuiltZip {
  const sha256 = createHash("sha256").update(zip).digest("base64");
  let same = false;
  try {
    same = readFileSync(path).equals(zip);
  } catch {}
  if (!same) writeFileSync(path, zip);
  return { zip: path, sha256, bytes: zip.length };
}

/** Packs a bundle into its two zips in `outDir`. */
export function packBundle(source: WebhookSource, { code, map }: Bundle, outDir: string): BuiltFunction {
  const plain = writeZip(join(outDir, `${source.slug}.zip`), zipFiles([{ name: "index.js", data: Buffer.from(code, "utf8") }]));
  const mapped = writeZip(
    join(outDir, `${source.slug}.map.zip`),
    zipFiles([
      { name: "index.js", data: Buffer.from(code + MAP_COMMENT, "utf8") },
      { name: "index.js.map", data: Buffer.from(map, "utf8") },
    ]),
  );
  return { route: source.route, slug: source.slug, ...plain, sourceMapped: mapped };
}

/** Writes the manifest, and removes zips in `outDir` that no function of it names. */
export function writeManifest(built: BuiltFunction[], outDir: string, manifestPath: string): void {
  const named = new Set(built.flatMap((f) => [f.zip, f.sourceMapped.zip]));
  for (const file of readdirSync(outDir)) if (!named.has(join(outDir, file))) rmSync(join(outDir, file), { force: true });
  writeFileSync(manifestPath, JSON.stringify(built, null, 2) + "\n");
}

export async function buildAll({ functionsDir = FUNCTIONS_DIR, outDir = join(DIST, "functions"), manifestPath = MANIFEST }: BuildOptions = {}): Promise<BuiltFunction[]> {
  const sources = listWebhooks(functionsDir);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const built = await Promise.all(sources.map(async (source) => packBundle(source, await bundleWebhook(source), outDir)));
  writeManifest(built, outDir, manifestPath);
  return built;
}

export function formatTable(built: BuiltFunction[]): string {
  return columns([
    ["function", "route", "zip size", "with source map", "sha256"],
    ...built.map((f) => [f.slug, `/${f.route}`, kb(f.bytes), kb(f.sourceMapped.bytes), f.sha256.slice(0, 12)]),
  ]);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

if (require.main === module) {
  runCommand({ name: "make build", usage: "usage: npx tsx scripts/build.ts (make build): bundles functions/ into dist/functions/*.zip", options: {} }, async () => {
    const started = Date.now();
    const built = await buildAll();
    console.log(formatTable(built));
    console.log(`${built.length} functions built in ${Date.now() - started} ms -> ${relative(process.cwd(), MANIFEST)}`);
  });
}
