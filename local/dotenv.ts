// The git-ignored .env of local runs: read by make dev, make call and make sms, written only
// by make dev when it generates a local auth token. Read with dotenv's parser, the format's
// reference; Node 20's util.parseEnv joins a line without "=" to the next one.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { parse } from "dotenv";

/** A NAME=… line, as the writer finds the one to replace. */
const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;

export function readDotEnv(file: string): Record<string, string> {
  return existsSync(file) ? parse(readFileSync(file, "utf8")) : {};
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
