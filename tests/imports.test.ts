import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = join(__dirname, "..");

/** Every TypeScript source under `folder` (node_modules and generated output left out). */
function sources(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...sources(path));
    else if (/\.(ts|cjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) found.push(path);
  }
  return found;
}

/** The project files `file` imports, as paths relative to the project ("contract/index"). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  return specifiers.map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)).split("\\").join("/"));
}

const LAYERS = ["main.ts", "contract", "functions", "runtime", "infra", "local", "scripts", "testkit"];
const edges = LAYERS.flatMap((layer) => (layer.endsWith(".ts") ? [layer] : sources(layer))).map((file) => ({ file, imports: importsOf(file) }));
const offending = (from: (file: string) => boolean, to: (target: string) => boolean) =>
  edges.filter(({ file }) => from(file)).flatMap(({ file, imports }) => imports.filter(to).map((target) => `${file} -> ${target}`));
const under = (folder: string) => (path: string) => path === folder || path.startsWith(`${folder}/`);

const directions = suite("imports run one way");

directions("nothing outside tests/ imports tests/", () => {
  assert.equal(offending(() => true, under("tests")), []);
});

directions("only tests and scripts (bench, reliability) use the test kit", () => {
  assert.equal(offending((f) => !under("scripts")(f) && !under("testkit")(f), under("testkit")), []);
});

directions("infra/ and main.ts never import scripts/ or local/", () => {
  assert.equal(offending((f) => under("infra")(f) || f === "main.ts", (t) => under("scripts")(t) || under("local")(t)), []);
});

directions("the runtime and the handlers, bundled into Lambda, import only the runtime and contract/index", () => {
  const bundled = (f: string) => under("runtime")(f) || under("functions")(f);
  assert.equal(offending(bundled, (t) => !under("runtime")(t) && !under("functions")(t) && t !== "contract" && t !== "contract/index"), []);
});

directions("contract/index imports nothing, so every bundle may", () => {
  assert.equal(importsOf("contract/index.ts"), []);
});

directions.run();
