// The two halves of the build contract that live on disk, for node only (the bundles never
// import this): which webhooks functions/ holds, and which dist/manifest.json says were built.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { HANDLER_SUFFIX, PRIVATE_SUFFIX, routeSlug, ROUTE_PATTERN, UserError, type BuiltFunction } from "./index";

const ROOT = join(__dirname, "..");
export const FUNCTIONS_DIR = join(ROOT, "functions");
export const DIST = join(ROOT, "dist");
export const MANIFEST = join(DIST, "manifest.json");

export interface WebhookSource {
  /** "voice/hello" */
  route: string;
  /** "voice-hello": for names of zips, functions and Terraform resources. */
  slug: string;
  /** Absolute path of the handler's source. */
  file: string;
}

/** Whether a file under functions/ is a handler; *.private.ts and *.d.ts are code the handlers share. */
export function isHandlerFile(name: string): boolean {
  return name.endsWith(HANDLER_SUFFIX) && !name.endsWith(PRIVATE_SUFFIX) && !name.endsWith(".d.ts");
}

/** Every handler under `dir`, sorted by route; a file name that cannot be a route is refused. */
export function listWebhooks(dir = FUNCTIONS_DIR): WebhookSource[] {
  const found: WebhookSource[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (isHandlerFile(entry.name)) {
        const route = relative(dir, path).slice(0, -HANDLER_SUFFIX.length).split(sep).join("/");
        if (!ROUTE_PATTERN.test(route)) {
          throw new UserError(
            `functions/${route}.ts: a route is lower-case words, digits and dashes separated by "/", e.g. functions/voice/hello.ts` +
              ` (code the handlers share goes in a file named *${PRIVATE_SUFFIX}).`,
          );
        }
        found.push({ route, slug: routeSlug(route), file: path });
      }
    }
  };
  walk(dir);
  const slugs = new Set<string>();
  for (const { route, slug } of found) {
    if (slugs.has(slug)) throw new UserError(`Two webhooks would share the name "${slug}"; rename functions/${route}.ts.`);
    slugs.add(slug);
  }
  return found.sort((a, b) => (a.route < b.route ? -1 : 1));
}

export function readManifest(path = MANIFEST): BuiltFunction[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError(`No build found at ${path}: run \`make build\` first.`);
  }
  const built = JSON.parse(text) as BuiltFunction[];
  if (built.some((f) => f.sourceMapped === undefined)) throw new UserError(`${path} is from an older build, without source maps: run \`make build\` again.`);
  return built;
}
