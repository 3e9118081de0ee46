// The git-ignored .env of local runs: read by make dev, make call and make sms, written only
// by make dev when it generates a local auth token.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

export function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const match = LINE.exec(line);
    if (!match || line.trimStart().startsWith("#")) continue;
    const quoted = /^(["'])(.*)\1$/.exec(match[2]);
    vars[match[1]] = quoted ? quoted[2] : match[2].replace(/\s+#.*$/, "");
  }
  return vars;
}

/** Sets NAME=value in the file: replaces its line if there is one, appends it otherwise. */
export function writeDotEnvValue(file: string, name: string, value: string): void {
  const lines = existsSync(file) ? readFileSync(file, "utf8").split(/\r?\n/) : [];
  const at = lines.findIndex((line) => LINE.exec(line)?.[1] === name && !line.trimStart().startsWith("#"));
  if (at >= 0) lines[at] = `${name}=${value}`;
  else {
    if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    lines.push(`${name}=${value}`, "");
  }
  writeFileSync(file, lines.join("\n"));
  chmodSync(file, 0o600);
}
