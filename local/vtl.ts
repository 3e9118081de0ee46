// API Gateway mapping templates on velocityjs: $input, $util, $context and $stageVariables as
// API Gateway defines them, rendered as Velocity 1.7 renders them (the methods templates call on
// strings, maps and lists are in vtl-methods.ts).
import { Compile, parse } from "velocityjs";
import { evaluateJsonPath } from "./jsonpath";
import { escapeJavaScript, javaUrlDecode, javaUrlEncode } from "./java";
import { compileTemplate, type Engine, type ListRender } from "./vtl-compiled";
import { JAVA_METHODS, JsonList, METHOD_DISPATCHER, javaToString, printed, velocityEquals, type MethodHandler } from "./vtl-methods";

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
export class JsonBodyError extends Error {
  /**
   * The 400's message. velocityjs appends to `message` where in the template the call was
   * ("on $input.json('$') at L/N 1:0"), which API Gateway's message never holds.
   */
  readonly answer: string;

  constructor(answer: string) {
    super(answer);
    this.answer = answer;
  }
}

type AstList = ReturnType<typeof parse>;
const parsedTemplates = new Map<string, { asts: AstList; compiled: ListRender }>();

/** Renders one mapping template; throws when the template fails as Velocity would fail it. */
export function renderTemplate(template: string, input: TemplateInput, carried?: Overrides): Rendered {
  return render(template, input, carried, true);
}

/** The same render on velocityjs's interpreter alone: what tests hold the compiled templates to. */
export function interpretTemplate(template: string, input: TemplateInput, carried?: Overrides): Rendered {
  return render(template, input, carried, false);
}

function render(template: string, input: TemplateInput, carried: Overrides | undefined, compiled: boolean): Rendered {
  let parsed = parsedTemplates.get(template);
  if (!parsed) {
    const asts = parse(asVelocity17(template));
    parsed = { asts, compiled: compileTemplate(asts) };
    parsedTemplates.set(template, parsed);
  }
  const overrides = carried ?? { responseOverride: { header: {} }, requestOverride: { header: {}, querystring: {}, path: {} } };
  const context = { ...input.context, ...overrides };
  // Silent: API Gateway prints a null or missing reference as nothing, where stock Velocity
  // prints it as written (tests/local-vtl-oracle.test.ts shows both).
  const output = new AwsCompile(parsed.asts, compiled ? parsed.compiled : undefined).render(
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

/** The engine as the closures see it, and the parts the interpreter resolves a reference with besides. */
type CompileInternals = Engine & {
  config: { customMethodHandlers: MethodHandler[] };
  getLocal(ast: ReferenceAst): { value: unknown; isLocal: boolean };
  getAttributes(property: unknown, base: unknown, ast: ReferenceAst): unknown;
};

/**
 * A JSON null ($input.path of a null) is a Java null too, which API Gateway prints as nothing;
 * maps and lists print as their toString (recorded: tests/conformance/input-path.json).
 */
class AwsCompile extends Compile {
  constructor(
    asts: AstList,
    private readonly compiled?: ListRender,
  ) {
    super(asts, { customMethodHandlers: JAVA_METHODS });
    const self = this as unknown as CompileInternals;
    self.config.customMethodHandlers = [METHOD_DISPATCHER];
    // Each #foreach keeps its variables under a key of its own ("foreach:1234", never the same
    // twice); on a plain object every new key would be a new hidden class for V8 to build.
    self.local = Object.create(null);
  }

  /** The whole template (what render() asks for) from its closures, when it has them. */
  renderAstList(asts?: AstList, contextId?: string): string {
    if (!asts && this.compiled) return this.compiled(this as unknown as Engine, contextId);
    return super.renderAstList(asts, contextId);
  }

  getReferences(ast: ReferenceAst, isVal?: boolean): string {
    const value = this.resolve(ast);
    return (isVal ? printed(value) : value) as string;
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
  return Object.assign(Object.create(NO_EVAL) as object, {
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
  });
}

/** $input.params(name): path parameter first, then query string, then header (header names ignore case). */
function lookupParam(params: TemplateParams, name: string): string {
  if (name in params.path) return params.path[name];
  if (name in params.querystring) return params.querystring[name];
  const lower = name.toLowerCase();
  const header = Object.keys(params.header).find((key) => key.toLowerCase() === lower);
  return header === undefined ? "" : params.header[header];
}

/**
 * What $input and $util inherit. velocityjs hangs an eval() on every object whose own method a
 * template calls, which API Gateway's $input and $util do not have; this takes the assignment
 * and keeps nothing, so $input.eval(...) prints nothing as any unknown method does there, no
 * render's engine reaches the next through the one $util, and no render builds a new shape.
 */
const NO_EVAL: object = Object.create(Object.prototype, { eval: { get: () => undefined, set: () => {} } });

// A method that returns undefined is a Java method returning null: printed as nothing, as on AWS.
const UTIL = Object.assign(Object.create(NO_EVAL) as object, {
  escapeJavaScript: (value: unknown) => (value == null ? undefined : escapeJavaScript(javaToString(value))),
  parseJson: (text: unknown) => JSON.parse(String(text)),
  urlEncode: (value: unknown) => (value == null ? undefined : javaUrlEncode(javaToString(value))),
  urlDecode: (value: unknown) => (value == null ? undefined : javaUrlDecode(javaToString(value))),
  base64Encode: (value: unknown) => (value == null ? undefined : Buffer.from(javaToString(value), "utf8").toString("base64")),
  base64Decode: (value: unknown) => (value == null ? undefined : Buffer.from(javaToString(value), "base64").toString("utf8")),
});

export function readOverride(raw: Record<string, unknown>): ResponseOverride {
  const headers: Record<string, string> = {};
  const header = raw.header;
  if (header && typeof header === "object") {
    for (const [name, value] of Object.entries(header)) if (value != null) headers[name] = javaToString(value);
  }
  const status = raw.status == null || raw.status === "" ? undefined : Number(raw.status);
  return { status: status !== undefined && Number.isInteger(status) ? status : undefined, headers };
}
