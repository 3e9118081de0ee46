// make dev's incremental build. One long-lived esbuild context per webhook, rebuilt only when a file
// it read (its metafile's inputs) changed. The dev stack is synthesized again, in this process,
// only when the function list or a file synth read changed; when only code changed, the stack is
// patched where a zip changed, exactly as a synth would write it (tests hold the two equal).
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BundleError, packBundle, webhookBuilder, writeManifest, type WebhookBuilder } from "../scripts/build";
import { UserError, type BuiltFunction, type BuiltZip } from "../contract";
import { listWebhooks } from "../contract/webhooks";

export interface DevBuildOptions {
  functionsDir: string;
  /** Where the zips go (dist/functions). */
  outDir: string;
  manifestPath: string;
  /** The synthesized stack folder the emulator serves (cdktf.out/stacks/denwa-dev). */
  stackDir: string;
  /** Synthesizes the stack from the build; returns the files synth read, which a change in resynthesizes (a SynthError names them too). */
  synth(functions: BuiltFunction[]): string[];
  /** Gets synth ready (loads its modules) while esbuild, in its own process, builds. */
  preload?(): void;
}

/** A failed synth, and the files it read or named: fixing one of them synthesizes again. */
export class SynthError extends UserError {
  constructor(
    message: string,
    readonly inputs: string[],
  ) {
    super(message);
  }
}

/** What one update did, for make dev's messages. */
export interface Outcome {
  /** Routes new since the last update, and routes gone. */
  added: string[];
  removed: string[];
  /** Routes whose zip changed. */
  rebuilt: string[];
  stack: "synthesized" | "patched" | "unchanged";
  /** What went wrong, in the compiler's words; the last good build is still served. */
  errors: string[];
}

interface Entry {
  builder: WebhookBuilder;
  /** The files its last build read, or those its failed build named. */
  inputs: Set<string>;
  built?: BuiltFunction;
  failed: boolean;
}

export class DevBuild {
  private readonly entries = new Map<string, Entry>();
  private synthInputs = new Set<string>();
  private served: BuiltFunction[] | undefined;

  constructor(private readonly options: DevBuildOptions) {}

  /** Every file the builds and the last synth read: a change in any of them is worth an update. */
  inputs(): Set<string> {
    const all = new Set(this.synthInputs);
    for (const entry of this.entries.values()) for (const file of entry.inputs) all.add(file);
    return all;
  }

  /** Has a stack been written that the emulator can serve? */
  get ready(): boolean {
    return this.served !== undefined;
  }

  /** Builds what `changed` touches (everything when undefined), then brings the stack up to date. */
  async update(changed?: ReadonlySet<string>): Promise<Outcome> {
    const outcome: Outcome = { added: [], removed: [], rebuilt: [], stack: "unchanged", errors: [] };
    let sources;
    try {
      sources = listWebhooks(this.options.functionsDir);
    } catch (error) {
      outcome.errors.push((error as Error).message);
      return outcome;
    }
    const routes = new Set(sources.map((s) => s.route));
    for (const [route, entry] of this.entries) {
      if (routes.has(route)) continue;
      this.entries.delete(route);
      await entry.builder.dispose();
    }
    const due: Entry[] = [];
    for (const source of sources) {
      let entry = this.entries.get(source.route);
      if (!entry) {
        entry = { builder: await webhookBuilder(source), inputs: new Set([source.file]), failed: true };
        this.entries.set(source.route, entry);
      }
      if (!changed || entry.failed || [...entry.inputs].some((file) => changed.has(file))) due.push(entry);
    }
    mkdirSync(this.options.outDir, { recursive: true });
    const rebuilt = Promise.all(due.map((entry) => this.rebuild(entry, outcome)));
    if (!this.served) this.options.preload?.();
    await rebuilt;

    const functions = [...this.entries.values()].flatMap((e) => (e.built ? [e.built] : [])).sort((a, b) => (a.route < b.route ? -1 : 1));
    // Never a first stack with functions missing: the routes would look gone, not broken.
    if (!this.served && functions.length < sources.length) return { ...outcome, rebuilt: [] };
    const before = new Map((this.served ?? []).map((f) => [f.route, f]));
    outcome.added = functions.filter((f) => !before.has(f.route)).map((f) => f.route);
    const after = new Set(functions.map((f) => f.route));
    outcome.removed = [...before.keys()].filter((route) => !after.has(route));
    writeManifest(functions, this.options.outDir, this.options.manifestPath);

    const listChanged = outcome.added.length > 0 || outcome.removed.length > 0;
    const synthChanged = changed === undefined || [...this.synthInputs].some((file) => changed.has(file));
    try {
      if (!this.served || listChanged || synthChanged || !this.patch(before, functions)) {
        this.synthesize(functions);
        outcome.stack = "synthesized";
      } else if (outcome.rebuilt.length) outcome.stack = "patched";
      this.served = functions;
    } catch (error) {
      outcome.errors.push((error as Error).message);
    }
    return outcome;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.builder.dispose()));
    this.entries.clear();
  }

  private async rebuild(entry: Entry, outcome: Outcome): Promise<void> {
    const { source } = entry.builder;
    try {
      const bundle = await entry.builder.rebuild();
      entry.inputs = new Set(bundle.inputs);
      entry.failed = false;
      const built = packBundle(source, bundle, this.options.outDir);
      if (built.sha256 !== entry.built?.sha256 || built.sourceMapped.sha256 !== entry.built?.sourceMapped.sha256) outcome.rebuilt.push(source.route);
      entry.built = built;
    } catch (error) {
      entry.failed = true;
      // The files the compiler names are watched too, so fixing one of them retries the build.
      if (error instanceof BundleError) for (const file of error.files) entry.inputs.add(file);
      outcome.errors.push((error as Error).message);
    }
  }

  /**
   * A new synth copies every zip anew; a zip whose asset path (its content hash) is unchanged gets
   * its old time back, so the emulator keeps that function's warm environments.
   */
  private synthesize(functions: BuiltFunction[]): void {
    const times = assetTimes(this.options.stackDir);
    try {
      this.synthInputs = new Set(this.options.synth(functions));
    } catch (error) {
      if (error instanceof SynthError) this.synthInputs = new Set([...this.synthInputs, ...error.inputs]);
      throw error;
    }
    for (const [file, mtime] of times) {
      try {
        if (statSync(file).mtimeMs !== mtime) utimesSync(file, new Date(), new Date(mtime));
      } catch {}
    }
  }

  /** Patches the stack for every function whose zip changed; false when the stack holds something else. */
  private patch(before: Map<string, BuiltFunction>, functions: BuiltFunction[]): boolean {
    for (const now of functions) {
      const was = before.get(now.route)!;
      for (const [old, next] of [[was, now], [was.sourceMapped, now.sourceMapped]] as const) {
        if (old.sha256 !== next.sha256 && !patchStack(this.options.stackDir, old, next)) return false;
      }
    }
    return true;
  }
}

/** cdktf's name for a file asset's folder: the MD5 of its bytes, 32 hex digits, upper case. */
export function assetHash(bytes: Buffer): string {
  return createHash("md5").update(bytes).digest("hex").toUpperCase();
}

/**
 * Points the stack's function that deploys `old` at `next`: the zip copied into the asset folder
 * named by its hash, filename and source_code_hash replaced, as a synth would write them. True when
 * done or when no function of this stack deploys `old` (a stage that deploys the other zip).
 */
export function patchStack(stackDir: string, old: BuiltZip, next: BuiltZip): boolean {
  const file = join(stackDir, "cdk.tf.json");
  const text = readFileSync(file, "utf8");
  const json = JSON.parse(text) as { resource?: Record<string, Record<string, { filename?: string; source_code_hash?: string }>> };
  const users = Object.values(json.resource?.aws_lambda_function ?? {}).filter((fn) => fn.source_code_hash === old.sha256);
  if (users.length === 0) return true;
  const oldPath = users[0].filename;
  const parts = oldPath?.split("/");
  if (!oldPath || users.length > 1 || parts?.length !== 4 || parts[0] !== "assets") return false;
  const newPath = [parts[0], parts[1], assetHash(readFileSync(next.zip)), parts[3]].join("/");
  mkdirSync(join(stackDir, dirname(newPath)), { recursive: true });
  copyFileSync(next.zip, join(stackDir, newPath));
  const patched = text.split(JSON.stringify(oldPath)).join(JSON.stringify(newPath)).split(JSON.stringify(old.sha256)).join(JSON.stringify(next.sha256));
  // Written whole and renamed, so the emulator never reads half a stack.
  writeFileSync(`${file}.tmp`, patched);
  renameSync(`${file}.tmp`, file);
  if (newPath !== oldPath) rmSync(join(stackDir, dirname(oldPath)), { recursive: true, force: true });
  return true;
}

function assetTimes(stackDir: string): Map<string, number> {
  const times = new Map<string, number>();
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else times.set(path, statSync(path).mtimeMs);
    }
  };
  walk(join(stackDir, "assets"));
  return times;
}
