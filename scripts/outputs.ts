// The deployed stage's outputs, as `make outputs` saved them from `cdktf output`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../contract";

export const OUTPUTS_DIR = join(__dirname, "..", "outputs");

export function outputsFile(stage: string, dir = OUTPUTS_DIR): string {
  return join(dir, `${stage}.json`);
}

/** Route -> full URL of every webhook of the stage, from its outputs file. */
export function deployedWebhookUrls(stage: string, stack: string, dir = OUTPUTS_DIR): Record<string, string> {
  const file = outputsFile(stage, dir);
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new UserError(`No outputs of the ${stage} stage at ${file}: deploy it (make deploy STAGE=${stage}), then run make outputs STAGE=${stage}.`);
  }
  const urls = findKey((saved as Record<string, unknown>)?.[stack], "webhook_urls");
  if (!urls || typeof urls !== "object") throw new UserError(`${file} has no webhook_urls of ${stack}: run make outputs STAGE=${stage} again after a deploy.`);
  return urls as Record<string, string>;
}

/** cdktf nests outputs under the construct that made them; look at every level. */
function findKey(value: unknown, key: string): unknown {
  if (!value || typeof value !== "object") return undefined;
  if (key in value) return (value as Record<string, unknown>)[key];
  for (const child of Object.values(value)) {
    const found = findKey(child, key);
    if (found !== undefined) return found;
  }
  return undefined;
}
