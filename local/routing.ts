// API Gateway's first stage: the request target split into stage, resource and method, path
// parameters and query string.
import type { ApiResource, Method, RestApi, Stage } from "./stack";

export interface Routed {
  stage: Stage;
  resource: ApiResource;
  method: Method;
  /** As received: API Gateway leaves path parameters percent-encoded (recorded). */
  pathParams: Record<string, string>;
  /** The path as API Gateway reports it ($context.path): stage included, leading slashes made one. */
  rawPath: string;
  /** The path after the stage, leading slashes made one: the AWS_PROXY event's path. */
  pathAfterStage: string;
  rawQuery: string;
}

/**
 * The method a request reaches, or undefined for API Gateway's 403 "Missing Authentication Token".
 * Slashes before the stage and right after it do not count ("//dev//x" routes as "/dev/x"), later
 * ones do ("/dev/a//b" gives {proxy+} "a//b"): recorded, tests/conformance/aws-proxy-event.json.
 */
export function route(api: RestApi, httpMethod: string, url: string): Routed | undefined {
  const queryStart = url.indexOf("?");
  const rawPath = (queryStart < 0 ? url : url.slice(0, queryStart)).replace(/^\/+/, "/");
  const rawQuery = queryStart < 0 ? "" : url.slice(queryStart + 1);
  const stageEnd = rawPath.indexOf("/", 1);
  const stage = api.stages.find((s) => s.name === decodeSegment(stageEnd < 0 ? rawPath.slice(1) : rawPath.slice(1, stageEnd)));
  if (!stage) return undefined;
  const pathAfterStage = "/" + (stageEnd < 0 ? "" : rawPath.slice(stageEnd).replace(/^\/+/, ""));
  const segments = pathAfterStage === "/" ? [] : pathAfterStage.slice(1).split("/");
  if (segments[segments.length - 1] === "") segments.pop();
  const found = matchResource(api.resources, segments);
  const method = found && (found.resource.methods.find((m) => m.httpMethod === httpMethod) ?? found.resource.methods.find((m) => m.httpMethod === "ANY"));
  if (!found || !method) return undefined;
  return { stage, resource: found.resource, method, pathParams: found.params, rawPath, pathAfterStage, rawQuery };
}

/** A part of a resource path: a literal segment, {param}, or the greedy {proxy+}. */
type Part = { kind: "literal"; text: string } | { kind: "param"; name: string } | { kind: "greedy"; name: string };

/** Each resource's path split once: the resources of a stack never change while it is served. */
const partsOf = new WeakMap<ApiResource, Part[]>();

function resourceParts(resource: ApiResource): Part[] {
  let parts = partsOf.get(resource);
  if (!parts) {
    parts = (resource.path === "/" ? [] : resource.path.slice(1).split("/")).map((part): Part => {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy) return { kind: "greedy", name: greedy[1] };
      const param = /^\{(.+)\}$/.exec(part);
      return param ? { kind: "param", name: param[1] } : { kind: "literal", text: part };
    });
    partsOf.set(resource, parts);
  }
  return parts;
}

/** The most specific resource for the path: literal parts before {param}, {param} before {proxy+}. */
function matchResource(resources: ApiResource[], segments: string[]): { resource: ApiResource; params: Record<string, string> } | undefined {
  const decoded = segments.map(decodeSegment);
  let best: { resource: ApiResource; params: Record<string, string>; score: number[] } | undefined;
  for (const resource of resources) {
    const matched = matchParts(resourceParts(resource), segments, decoded);
    if (matched && (!best || compareScores(matched.score, best.score) > 0)) best = { resource, ...matched };
  }
  return best && { resource: best.resource, params: best.params };
}

function matchParts(parts: Part[], segments: string[], decoded: string[]): { params: Record<string, string>; score: number[] } | undefined {
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.kind === "greedy") {
      if (segments.length <= i) return undefined;
      params[part.name] = segments.slice(i).join("/");
      return { params, score: [...score, 0] };
    }
    if (segments[i] === undefined) return undefined;
    if (part.kind === "param") {
      if (segments[i] === "") return undefined;
      params[part.name] = segments[i];
      score.push(1);
    } else {
      if (decoded[i] !== part.text) return undefined;
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
