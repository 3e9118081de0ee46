// Loads a built function's index.js as Lambda would.
import Module from "node:module";

/** Loads a CommonJS bundle from source text, as Lambda loads /var/task/index.js. */
export function loadBundle(source: string, filename = "/var/task/index.js"): any {
  const mod = new (Module as any)(filename);
  mod.filename = filename;
  mod.paths = (Module as any)._nodeModulePaths(process.cwd());
  mod._compile(source, filename);
  return mod.exports;
}
