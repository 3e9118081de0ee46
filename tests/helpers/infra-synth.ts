// Synthesizes a stage's stack the way main.ts does, from a build of small zips made here, and reads
// the cdk.tf.json back so that tests can look at each resource as Terraform will.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { BuiltFunction } from "../../contract";
import { DenwaStack } from "../../infra/denwa-stack";
import { stackName, type StageName } from "../../infra/names";
import { resolveStageConfig, type StageSettings } from "../../infra/stage-config";
import type { Templates } from "../../infra/templates";

/** The starter routes: shared prefixes (voice/…), a second level (sms/reply) and a top-level one. */
export const ROUTES = ["voice/hello", "voice/menu", "sms/reply", "call/status", "fallback"];

/** One zip per route, each with bytes of its own; the manifest's sha256 is computed here. */
export function fakeBuild(routes = ROUTES): BuiltFunction[] {
  const dir = mkdtempSync(join(tmpdir(), "denwa-build-"));
  return routes.map((route) => {
    const slug = route.replace(/\//g, "-");
    const fake = (name: string, text: string) => {
      const zip = join(dir, name);
      const bytes = Buffer.from(text, "utf8");
      writeFileSync(zip, bytes);
      return { zip, sha256: createHash("sha256").update(bytes).digest("base64"), bytes: bytes.length };
    };
    return { route, slug, ...fake(`${slug}.zip`, `PK fake zip of ${route}`), sourceMapped: fake(`${slug}.map.zip`, `PK fake zip of ${route} with its source map`) };
  });
}

export type Config = Record<string, any>;

export interface Synthesized {
  stage: StageName;
  /** cdktf.out/stacks/denwa-<stage> of this synth. */
  dir: string;
  json: Config;
  functions: BuiltFunction[];
  stack: DenwaStack;
}

export interface SynthOptions {
  settings?: StageSettings;
  functions?: BuiltFunction[];
  templates?: Templates;
}

export function synthStage(stage: StageName, { settings = {}, functions = fakeBuild(), templates }: SynthOptions = {}): Synthesized {
  const app = Testing.app({ outdir: mkdtempSync(join(tmpdir(), "denwa-synth-")) });
  const stack = new DenwaStack(app, stackName(stage), { config: resolveStageConfig(stage, settings), functions, templates });
  app.synth();
  const dir = join(app.outdir, "stacks", stackName(stage));
  return { stage, dir, json: JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")), functions, stack };
}

/** Every resource of a type, by its Terraform name. */
export function resources(synth: Synthesized, type: string): Record<string, Config> {
  return synth.json.resource?.[type] ?? {};
}

/** The one resource of `type` whose construct path (below the stack) is `path`, e.g. "api/voice_hello_POST". */
export function at(synth: Synthesized, type: string, path: string): { name: string; config: Config } {
  const full = `${stackName(synth.stage)}/${path}`;
  const found = Object.entries(resources(synth, type)).filter(([, config]) => config["//"]?.metadata?.path === full);
  if (found.length !== 1) throw new Error(`Expected one ${type} at ${full}, found ${found.length}.`);
  const [name, config] = found[0];
  return { name, config };
}

/** The Terraform expression for an attribute of the resource at `path`. */
export function ref(synth: Synthesized, type: string, path: string, attribute: string): string {
  return `\${${type}.${at(synth, type, path).name}.${attribute}}`;
}

/** The route's part of construct ids: "voice/hello" -> "voice_hello". */
export const idOf = (route: string) => route.replace(/\//g, "_");

/** A resource's configuration without cdktf's metadata, to compare whole. */
export function bare(config: Config): Config {
  const { "//": _metadata, ...rest } = config;
  return rest;
}
