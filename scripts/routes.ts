// The webhook list: every .ts file under functions/ is one function, its path the route.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

export const FUNCTIONS_DIR = join(__dirname, "..", "functions");

export interface WebhookSource {
  /** "voice/hello" */
  route: string;
  /** "voice-hello": for names of zips, functions and Terraform resources. */
  slug: string;
  /** Absolute path of the handler's source. */
  file: string;
}

const ROUTE = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)*$/;

export function listWebhooks(dir = FUNCTIONS_DIR): WebhookSource[] {
  const found: WebhookSource[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const route = relative(dir, path).slice(0, -".ts".length).split(sep).join("/");
        if (!ROUTE.test(route)) {
          throw new Error(`functions/${route}.ts: a route is lower-case words, digits and dashes separated by "/", e.g. functions/voice/hello.ts.`);
        }
        found.push({ route, slug: route.replace(/\//g, "-"), file: path });
      }
    }
  };
  walk(dir);
  const slugs = new Set<string>();
  for (const { route, slug } of found) {
    if (slugs.has(slug)) throw new Error(`Two webhooks would share the name "${slug}"; rename functions/${route}.ts.`);
    slugs.add(slug);
  }
  return found.sort((a, b) => (a.route < b.route ? -1 : 1));
}
