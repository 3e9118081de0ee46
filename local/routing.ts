// API Gateway's first stage: the request target split into stage, resource and method, path
// parameters and query string.
import type { ApiResource, Method, RestApi, Stage } from "./stack";

export interface Routed {
  stage: Stage;
  resource: ApiResource;
  method: Method;
  pathParams: Record<string, string>;
  /** The path as received, stage included. */
  rawPath: string;
  rawQuery: string;
}

/** The method a request reaches, or undefined for API Gateway's 403 "Missing Authentication Token". */
export function route(api: RestApi, httpMethod: string, url: string): Routed | undefined {
  const queryStart = url.indexOf("?");
  const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? "" : url.slice(queryStart + 1);
  const segments = rawPath.split("/").filter((s, i, all) => i > 0 && !(s === "" && i === all.length - 1));
  const stage = api.stages.find((s) => s.name === decodeSegment(segments[0] ?? ""));
  if (!stage) return undefined;
  const found = matchResource(api.resources, segments.slice(1).map(decodeSegment));
  const method = found && (found.resource.methods.find((m) => m.httpMethod === httpMethod) ?? found.resource.methods.find((m) => m.httpMethod === "ANY"));
  if (!found || !method) return undefined;
  return { stage, resource: found.resource, method, pathParams: found.params, rawPath, rawQuery };
}

/** The most specific resource for the path: literal parts before {param}, {param} before {proxy+}. */
function matchResource(resources: ApiResource[], segments: string[]): { resource: ApiResource; params: Record<string, string> } | undefined {
  let best: { resource: ApiResource; params: Record<string, string>; score: number[] } | undefined;
  for (const resource of resources) {
    const matched = matchParts(resource.path === "/" ? [] : resource.path.slice(1).split("/"), segments);
    if (matched && (!best || compareScores(matched.score, best.score) > 0)) best = { resource, ...matched };
  }
  return best && { resource: best.resource, params: best.params };
}

function matchParts(parts: string[], segments: string[]): { params: Record<string, string>; score: number[] } | undefined {
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const greedy = /^\{(.+)\+\}$/.exec(parts[i]);
    const param = /^\{(.+)\}$/.exec(parts[i]);
    if (greedy) {
      if (segments.length <= i) return undefined;
      params[greedy[1]] = segments.slice(i).join("/");
      return { params, score: [...score, 0] };
    }
    if (segments[i] === undefined) return undefined;
    if (param) {
      if (segments[i] === "") return undefined;
      params[param[1]] = segments[i];
      score.push(1);
    } else {
      if (segments[i] !== parts[i]) return undefined;
      score.push(2);
    }
  }
  return parts.length === segments.length ? { params, score } : undefined;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Query parameters decoded as a form is ("+" is a space); the last of repeated names wins. */
export function parseQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of parseQueryPairs(raw)) out[name] = value;
  return out;
}

export function parseQueryPairs(raw: string): [string, string][] {
  if (raw === "") return [];
  return raw
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const decode = (s: string) => decodeSegment(s.replace(/\+/g, " "));
      return eq < 0 ? [decode(pair), ""] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
    });
}
