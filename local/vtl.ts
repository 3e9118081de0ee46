// API Gateway mapping templates on velocityjs: $input, $util, $context and $stageVariables as
// API Gateway defines them, and the java.lang.String methods that templates call on strings
// (velocityjs would otherwise call JavaScript's methods, or none: "abc".length() does not exist there).
import { Compile, parse } from "velocityjs";
import { evaluateJsonPath } from "./jsonpath";
import {
  escapeJavaScript,
  javaMatches,
  javaReplace,
  javaSplit,
  javaTrim,
  javaUrlDecode,
  javaUrlEncode,
} from "./java";

export interface TemplateParams {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

export interface TemplateInput {
  /** The payload as text: the request body, or the Lambda result as JSON. */
  body: string;
  params: TemplateParams;
  /** $context without responseOverride, which rendering adds. */
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface ResponseOverride {
  status?: number;
  headers: Record<string, string>;
}

export interface Rendered {
  output: string;
  responseOverride: ResponseOverride;
  /** $context.requestOverride and responseOverride as the template left them, for a later template. */
  overrides: Overrides;
}

/** What one template of a request can leave for the next: API Gateway keeps one $context per request. */
export interface Overrides {
  requestOverride: Record<string, unknown>;
  responseOverride: Record<string, unknown>;
}

/** $input.json / $input.path on a payload that is not JSON: API Gateway answers 400 for a request. */
export class JsonBodyError extends Error {}

type AstList = ReturnType<typeof parse>;
const parsedTemplates = new Map<string, AstList>();

/** Renders one mapping template; throws when the template fails as Velocity would fail it. */
export function renderTemplate(template: string, input: TemplateInput, carried?: Overrides): Rendered {
  let asts = parsedTemplates.get(template);
  if (!asts) {
    asts = parse(asVelocity17(template));
    parsedTemplates.set(template, asts);
  }
  const overrides = carried ?? { responseOverride: { header: {} }, requestOverride: { header: {}, querystring: {}, path: {} } };
  const context = { ...input.context, ...overrides };
  // Silent: API Gateway prints a null or missing reference as nothing, where stock Velocity
  // prints it as written (tests/local-vtl-oracle.test.ts shows both).
  const output = new AwsCompile(asts, { customMethodHandlers: JAVA_METHODS }).render(
    {
      input: inputVariable(input.body, input.params),
      util: UTIL,
      context,
      stageVariables: { ...input.stageVariables },
    },
    undefined,
    true,
  );
  return { output, responseOverride: readOverride(overrides.responseOverride), overrides };
}

// Velocity 1.7 does not read "##" right after a dotted reference ($a.b##) as a comment
// (VELOCITY-783, fixed in 2.0): it prints "##" and the rest of the line, and cannot parse a
// template that ends there. velocityjs reads a comment, so the emulator spells the "##" out.
const DOTTED_THEN_HASHES = /(\$!?[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)+)##(?!#)/g;

function asVelocity17(template: string): string {
  return template.replace(DOTTED_THEN_HASHES, (_, reference: string, at: number) => {
    if (at + reference.length + 2 === template.length) {
      throw new Error(`Velocity 1.7 cannot parse a template that ends in ${reference}## (VELOCITY-783); write \${${reference.slice(1)}}## instead.`);
    }
    const silent = reference.startsWith("$!") ? "!" : "";
    return `$${silent}{${reference.slice(silent ? 2 : 1)}}#[[##]]#`;
  });
}

type ReferenceAst = Parameters<Compile["getReferences"]>[0] & { id: string; prue?: boolean; args?: unknown; path?: unknown[] };

/** The parts of velocityjs's compiler that a reference is resolved with (mixed into Compile at run time). */
interface CompileInternals {
  context: Record<string, unknown>;
  defines: Record<string, unknown>;
  renderAstList(asts: unknown): string;
  isBlockedPathKey(base: unknown, key: string): boolean;
  getLocal(ast: ReferenceAst): { value: unknown; isLocal: boolean };
  getPropMethod(property: unknown, base: unknown, ast: ReferenceAst): unknown;
  getAttributes(property: unknown, base: unknown, ast: ReferenceAst): unknown;
}

/**
 * A JSON null ($input.path of a null) is a Java null too, which API Gateway prints as nothing;
 * maps and lists print as their toString (recorded: tests/conformance/input-path.json).
 */
class AwsCompile extends Compile {
  getReferences(ast: ReferenceAst, isVal?: boolean): string {
    const value = this.resolve(ast);
    if (!isVal) return value as string;
    return value == null ? "" : typeof value === "object" ? javaToString(value) : (value as string);
  }

  /**
   * velocityjs's own getReferences for a silent render without HTML escaping, which is how every
   * template renders here, less its first step: it spells out the reference's text ("$a.b($c)")
   * to look that up as a key of the context, which never holds such a key, and spelling it out
   * was over a third of a render's time.
   */
  private resolve(ast: ReferenceAst): unknown {
    const self = this as unknown as CompileInternals;
    if (ast.prue) {
      const define = self.defines[ast.id];
      if (Array.isArray(define)) return self.renderAstList(define);
    }
    const context = self.context;
    let value = self.isBlockedPathKey(context, ast.id) ? undefined : context[ast.id];
    const local = self.getLocal(ast);
    if (value !== undefined && ast.args !== undefined) value = self.getPropMethod(ast, context, ast);
    if (local.isLocal) value = local.value;
    for (const property of ast.path ?? []) value = self.getAttributes(property, value, ast);
    return value;
  }

  // velocityjs types every expression as a string; it returns the value as is.
  getExpression(ast: Parameters<Compile["getExpression"]>[0]): string {
    if (ast.type === "math" && (ast.operator === "==" || ast.operator === "!=")) {
      const [left, right] = ast.expression.map((side) => this.getExpression(side as unknown as typeof ast) as unknown);
      return (velocityEquals(left, right) === (ast.operator === "==")) as unknown as string;
    }
    return super.getExpression(ast);
  }
}

/**
 * Velocity's ==: numbers by value, values of one class by equals, others by their toString. On
 * AWS a null equals "" as well as null (recorded), and an empty list equals neither.
 */
function velocityEquals(left: unknown, right: unknown): boolean {
  const l = left ?? null;
  const r = right ?? null;
  if (l === null || r === null) return l === r || javaToString(l ?? r) === "";
  if (typeof l === "number" && typeof r === "number") return l === r;
  if (typeof l === typeof r && typeof l !== "object") return l === r;
  return javaToString(l) === javaToString(r);
}

/** A list read from JSON ($input.path): Jayway JsonPath hands templates a JSONArray, whose toString is JSON. */
class JsonList extends Array<unknown> {}

function parseJsonLists(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => (Array.isArray(value) ? Object.setPrototypeOf(value, JsonList.prototype) : value));
}

function inputVariable(body: string, params: TemplateParams) {
  let parsed: { value: unknown } | undefined;
  const payload = (): unknown => {
    if (!parsed) {
      try {
        parsed = { value: body.trim() === "" ? {} : parseJsonLists(body) };
      } catch (error) {
        throw new JsonBodyError(`Could not parse request body into json: ${(error as Error).message}`);
      }
    }
    return parsed.value;
  };
  return {
    // API Gateway hands an empty body to templates as "{}" (recorded: tests/conformance/input-body.json).
    body: body === "" ? "{}" : body,
    json(path: string) {
      const value = evaluateJsonPath(payload(), path);
      return value === undefined ? "" : JSON.stringify(value);
    },
    path(path: string) {
      return evaluateJsonPath(payload(), path);
    },
    params(name?: string) {
      if (name === undefined) {
        return { path: { ...params.path }, querystring: { ...params.querystring }, header: { ...params.header } };
      }
      return lookupParam(params, String(name));
    },
  };
}

/** $input.params(name): path parameter first, then query string, then header (header names ignore case). */
function lookupParam(params: TemplateParams, name: string): string {
  if (name in params.path) return params.path[name];
  if (name in params.querystring) return params.querystring[name];
  const lower = name.toLowerCase();
  const header = Object.keys(params.header).find((key) => key.toLowerCase() === lower);
  return header === undefined ? "" : params.header[header];
}

/** What Java's toString prints for a value a template holds (maps as {k=v, ...}, lists as [a, b], JSON lists as JSON). */
export function javaToString(value: unknown): string {
  if (value instanceof JsonList) return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(javaToString).join(", ") + "]";
  if (value !== null && typeof value === "object") {
    return "{" + Object.entries(value).map(([k, v]) => `${k}=${javaToString(v)}`).join(", ") + "}";
  }
  return String(value);
}

// A method that returns undefined is a Java method returning null: printed as nothing, as on AWS.
const UTIL = {
  escapeJavaScript: (value: unknown) => (value == null ? undefined : escapeJavaScript(javaToString(value))),
  parseJson: (text: unknown) => JSON.parse(String(text)),
  urlEncode: (value: unknown) => (value == null ? undefined : javaUrlEncode(javaToString(value))),
  urlDecode: (value: unknown) => (value == null ? undefined : javaUrlDecode(javaToString(value))),
  base64Encode: (value: unknown) => (value == null ? undefined : Buffer.from(javaToString(value), "utf8").toString("base64")),
  base64Decode: (value: unknown) => (value == null ? undefined : Buffer.from(javaToString(value), "base64").toString("utf8")),
};

export function readOverride(raw: Record<string, unknown>): ResponseOverride {
  const headers: Record<string, string> = {};
  const header = raw.header;
  if (header && typeof header === "object") {
    for (const [name, value] of Object.entries(header)) if (value != null) headers[name] = javaToString(value);
  }
  const status = raw.status == null || raw.status === "" ? undefined : Number(raw.status);
  return { status: status !== undefined && Number.isInteger(status) ? status : undefined, headers };
}

type MethodCall = { property: string; context: unknown; params: unknown[] };

function indexInRange(text: string, index: unknown, inclusiveEnd: boolean): number {
  const n = Number(index);
  if (!Number.isInteger(n) || n < 0 || n > text.length - (inclusiveEnd ? 0 : 1)) {
    throw new Error(`String index out of range: ${String(index)}`);
  }
  return n;
}

const STRING_METHODS: Record<string, (text: string, ...args: any[]) => unknown> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  contains: (s, part) => s.includes(javaToString(part)),
  equals: (s, other) => typeof other === "string" && s === other,
  equalsIgnoreCase: (s, other) => typeof other === "string" && s.toLowerCase() === other.toLowerCase(),
  startsWith: (s, prefix, from = 0) => s.startsWith(javaToString(prefix), Number(from)),
  endsWith: (s, suffix) => s.endsWith(javaToString(suffix)),
  indexOf: (s, part, from = 0) => s.indexOf(javaToString(part), Number(from)),
  lastIndexOf: (s, part) => s.lastIndexOf(javaToString(part)),
  charAt: (s, index) => s[indexInRange(s, index, false)],
  substring: (s: string, begin, end = s.length) => {
    const from = indexInRange(s, begin, true);
    const to = indexInRange(s, end, true);
    if (from > to) throw new Error(`String index out of range: ${to - from}`);
    return s.slice(from, to);
  },
  concat: (s, other) => s + javaToString(other),
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  trim: (s) => javaTrim(s),
  toString: (s: string) => s,
  replace: (s, target, replacement) => s.split(javaToString(target)).join(javaToString(replacement)),
  replaceAll: (s, regex, replacement) => javaReplace(s, String(regex), javaToString(replacement)),
  replaceFirst: (s, regex, replacement) => javaReplace(s, String(regex), javaToString(replacement), false),
  matches: (s, regex) => javaMatches(s, String(regex)),
  split: (s, regex, limit = 0) => javaSplit(s, String(regex), Number(limit)),
};

const COLLECTION_METHODS: Record<string, (value: any, ...args: any[]) => unknown> = {
  isEmpty: (value) => (Array.isArray(value) ? value.length : Object.keys(value).length) === 0,
  containsKey: (value, key) => !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, String(key)),
  contains: (value, item) => Array.isArray(value) && value.includes(item),
  values: (value) => (Array.isArray(value) ? value : Object.values(value)),
  toString: (value: unknown) => javaToString(value),
  put: (value: Record<string, unknown>, key: unknown, item: unknown) => {
    const previous = value[String(key)];
    value[String(key)] = item;
    return previous;
  },
};

const JAVA_METHODS = [
  {
    uid: "java.lang.String",
    match: ({ property, context }: MethodCall) => typeof context === "string" && Object.hasOwn(STRING_METHODS, property),
    resolve: ({ property, context, params }: MethodCall) => STRING_METHODS[property](context as string, ...params),
  },
  {
    uid: "java.util.Map and List",
    match: ({ property, context }: MethodCall) =>
      context !== null &&
      typeof context === "object" &&
      Object.hasOwn(COLLECTION_METHODS, property) &&
      (property === "toString" || !(property in context)),
    resolve: ({ property, context, params }: MethodCall) => COLLECTION_METHODS[property](context, ...params),
  },
];
