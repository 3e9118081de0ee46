// Preloaded (node -r) by scripts/bench/synth.ts to synthesize the same stacks as if infra imported
// @cdktf/provider-aws from its package root, without touching infra's source: every deep
// `@cdktf/provider-aws/lib/<name>` require answers the root package's namespace of that name.
"use strict";
const Module = require("node:module");

const DEEP = /^@cdktf\/provider-aws\/lib\/([a-z0-9-]+)$/;
const original = Module.prototype.require;

Module.prototype.require = function require(id) {
  const deep = DEEP.exec(id);
  if (!deep) return original.apply(this, arguments);
  const namespace = deep[1].replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
  const root = original.call(this, "@cdktf/provider-aws");
  if (!(namespace in root)) throw new Error(`@cdktf/provider-aws has no root export ${namespace} for ${id}.`);
  return root[namespace];
};
