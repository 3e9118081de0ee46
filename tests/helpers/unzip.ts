// Loads a built function's index.js as Lambda would.
import Module from "node:module";

/**
 * Loads a CommonJS bundle from source text, as Lambda loads /var/task/index.js. The bundle sees
 * `env` as its process.env (Lambda gives each function its own), and this process's stays as it is.
 */
export function loadBundle(source: string, env: NodeJS.ProcessEnv = {}, filename = "/var/task/index.js"): any {
  const mod = new (Module as any)(filename);
  mod.filename = filename;
  mod.paths = (Module as any)._nodeModulePaths(process.cwd());
  mod.functionEnv = env;
  // Declared on the bundle's first line, after its "use strict", so no line number moves.
  const strict = /^(["'])use strict\1;/.exec(source)?.[0] ?? "";
  const shadow = "const process = Object.create(globalThis.process, { env: { value: module.functionEnv } });";
  mod._compile(strict + shadow + source.slice(strict.length), filename);
  return mod.exports;
}
