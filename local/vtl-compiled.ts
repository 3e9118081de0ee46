// A mapping template turned once into closures that render it as velocityjs's interpreter does
// (local/vtl.ts), on the interpreter's own engine state: the context, the scopes of #foreach and
// what #set wrote. Output, #if, #foreach, references and literals are closures; #set, #macro,
// #define and anything else are handed to the interpreter on the same engine, so the two never
// disagree about state. The interpreter spends most of a render deciding, node by node, what the
// template says; the closures decide that once. tests/local-vtl-compiled.test.ts holds every
// render of the conformance and oracle templates, and of fuzzed ones, to the interpreter's.
import { Helper, parse } from "velocityjs";
import { methodsNamed, printed, velocityEquals, type MethodCall } from "./vtl-methods";

/** velocityjs's Compile, as the closures read and change it (mixed into Compile at run time). */
export interface Engine {
  context: Record<string, unknown>;
  local: Record<string, Record<string, unknown> | undefined>;
  conditions: string[];
  contextId: string;
  runState: { stop: boolean; break: boolean };
  defines: Record<string, unknown>;
  config: { valueMapper?: (value: unknown) => unknown };
  isBlockedPathKey(base: unknown, key: string, isEnd?: boolean): boolean;
  getPropMethod(property: unknown, base: unknown, ast: unknown): unknown;
  renderAstList(asts?: unknown[], contextId?: string): string;
  setValue(ast: unknown): void;
  getBlock(block: unknown[]): string;
  getMacro(ast: unknown): string;
  eval(...args: unknown[]): string;
  _throw(ast: unknown, property: unknown, errorName?: string): void;
}

/** Renders a list of nodes in a scope, as Compile.renderAstList(asts, contextId) does. */
export type ListRender = (engine: Engine, contextId?: string) => string;
type Value = (engine: Engine) => unknown;
type Step = (engine: Engine, base: unknown) => unknown;
// The AST is velocityjs's, whose types stop at the node kinds; the closures read its fields.
type Ast = Record<string, any>;

// Names that velocityjs's prototype guard may refuse; any other name it always lets through.
const GUARDED = new Set(["__proto__", "constructor", "prototype"]);
const POS_UNKNOWN = { first_line: "unknown", first_column: "unknown" };
let scopes = 0;

export function compileTemplate(asts: unknown[]): ListRender {
  return compileList(asts);
}

function compileList(asts: unknown[]): ListRender {
  const parts = asts.map(compileNode);
  return (engine, contextId) => {
    if (contextId) {
      if (contextId !== engine.contextId && engine.conditions.indexOf(contextId) === -1) engine.conditions.unshift(contextId);
      engine.contextId = contextId;
    } else engine.contextId = "";
    let out = "";
    for (const part of parts) {
      if (engine.runState.stop === true) break;
      out += part(engine);
    }
    return out;
  };
}

function compileNode(node: unknown): Value {
  if (typeof node === "string") return () => node;
  if (Array.isArray(node)) return compileBlock(node);
  const ast = node as Ast;
  switch (ast.type) {
    case "references": {
      const value = compileReference(ast);
      return (engine) => printed(value(engine));
    }
    case "set":
      return compileSet(ast);
    case "break":
      return (engine) => ((engine.runState.break = true), "");
    case "macro_call":
      return (engine) => engine.getMacro(ast);
    case "comment":
      return () => "";
    case "raw":
      return () => ast.value;
    default:
      return (engine) => engine.getBlock(node as unknown[]);
  }
}

/**
 * SetValue.setValue for `#set($name = value)`, the form mapping templates use; a #set of a path
 * (`$a.b`) goes to the interpreter. The scope is chosen, and the name checked, before the value
 * is evaluated, as there. Its rule for a macro's scope never applies here: the interpreter renders
 * macro bodies.
 */
function compileSet(ast: Ast): Value {
  const [target, source] = ast.equal as Ast[];
  if (target.path) return (engine) => (engine.setValue(ast), "");
  const id: string = target.id;
  const value = source.type === "math" ? compileExpression(source) : compileLiteral(source);
  const mapped = source.type !== "math";
  return (engine) => {
    const scope = scopeOf(engine, id);
    if (engine.isBlockedPathKey(scope, id, true)) return "";
    const result = value(engine);
    scope[id] = mapped ? engine.config.valueMapper?.(result) : result;
    return "";
  };
}

/** SetValue.getContext: the innermost #foreach scope that holds the name, else the context. */
function scopeOf(engine: Engine, id: string): Record<string, unknown> {
  for (const condition of engine.conditions) {
    const local = engine.local[condition]!;
    if (local.hasOwnProperty(id)) return local;
  }
  return engine.context;
}

function compileBlock(block: Ast[]): Value {
  const head = block[0];
  if (head.type === "if") return compileIf(block);
  if (head.type === "foreach") return compileForeach(block);
  return (engine) => engine.getBlock(block);
}

function compileIf(block: Ast[]): Value {
  const branches: { condition?: Value; body: Ast[] }[] = [];
  for (const node of block) {
    if (node.type === "if" || node.type === "elseif") branches.push({ condition: compileExpression(node.condition), body: [] });
    else if (node.type === "else") branches.push({ body: [] });
    else branches[branches.length - 1].body.push(node);
  }
  const compiled = branches.map((branch) => ({ condition: branch.condition, render: compileList(branch.body) }));
  // No branch taken renders nothing, in the scope it is already in: nothing changes.
  return (engine) => {
    for (const branch of compiled) {
      if (branch.condition === undefined || !!branch.condition(engine)) return branch.render(engine, engine.contextId) || "";
    }
    return "";
  };
}

function compileForeach(block: Ast[]): Value {
  const head = block[0];
  const from = compileLiteral({ ...head.from, pos: head.pos });
  const to: string = head.to;
  const body = compileList(block.slice(1));
  return (engine) => {
    const items = from(engine);
    const local: Record<string, unknown> = { foreach: { count: 0, index: 0, hasNext: false }, velocityCount: 0 };
    let out = "";
    // Not velocityjs's "foreach:N", so that a scope of the interpreter's never shares its key.
    const contextId = `foreach:compiled-${++scopes}`;
    const type = Object.prototype.toString.call(items);
    if (!items || (type !== "[object Array]" && type !== "[object Object]")) return "";
    const list: unknown[] = Array.isArray(items) ? items : Object.values(items as object);
    const length = list.length;
    list.forEach((item, i) => {
      if (engine.runState.break) return;
      local[to] = item;
      local.foreach = { count: i + 1, index: i, hasNext: i + 1 < length };
      local.velocityCount = i + 1;
      engine.local[contextId] = local;
      out += body(engine, contextId);
    });
    // velocityjs leaves the scope in place after a map or an empty list; so do the closures.
    if ((items as { length?: unknown }).length) {
      engine.runState.break = false;
      engine.local[contextId] = {};
      engine.conditions.shift();
      engine.contextId = engine.conditions[0] || "";
    }
    return out || "";
  };
}

/** AwsCompile.getReferences(ast) without isVal: the value itself. */
function compileReference(ast: Ast): Value {
  const id: string = ast.id;
  const guarded = GUARDED.has(id);
  const calls = ast.args !== undefined;
  const path: Step[] = ((ast.path ?? []) as Ast[]).map((property) => compileStep(property, ast));
  const pure = Boolean(ast.prue);
  return (engine) => {
    if (pure) {
      const define = engine.defines[id];
      if (Array.isArray(define)) return engine.renderAstList(define);
    }
    const context = engine.context;
    let value = guarded && engine.isBlockedPathKey(context, id) ? undefined : context[id];
    let isLocal = false;
    let localValue: unknown;
    for (const scope of engine.conditions) {
      const local = engine.local[scope];
      if (ownHas(local, id)) {
        isLocal = true;
        localValue = local![id];
        break;
      }
    }
    if (value !== undefined && calls) value = engine.getPropMethod(ast, context, ast);
    if (isLocal) value = localValue;
    for (const step of path) value = step(engine, value);
    return value;
  };
}

function ownHas(base: unknown, key: string): boolean {
  return (typeof base === "object" || typeof base === "function") && base !== null && Object.prototype.hasOwnProperty.call(base, key);
}

/** Compile.getAttributes: one .property, [index] or .method(...) of a reference. */
function compileStep(property: Ast, ast: Ast): Step {
  if (property.type === "method") return compileMethod(property, ast);
  if (property.type === "property") {
    const id: string = property.id;
    if (GUARDED.has(id)) return (engine, base) => (base == null || engine.isBlockedPathKey(base, id) ? undefined : (base as Ast)[id]);
    return (_engine, base) => (base == null ? undefined : (base as Ast)[id]);
  }
  const key: Ast = property.id;
  const keyValue: Value = key.type === "references" ? compileReference(key) : () => key.value;
  return (engine, base) => {
    if (base == null) return undefined;
    const k = keyValue(engine);
    if (engine.isBlockedPathKey(base, String(k))) return undefined;
    return (base as Ast)[k as string];
  };
}

/** Compile.getPropMethod, with the handlers that can answer the method's name found once. */
function compileMethod(property: Ast, ast: Ast): Step {
  const id: string = property.id;
  const guarded = GUARDED.has(id);
  const args = ((property.args || []) as Ast[]).map(compileLiteral);
  const candidates = methodsNamed(id);
  return (engine, base) => {
    if (base == null) return undefined;
    if (guarded && engine.isBlockedPathKey(base, id)) {
      engine._throw(ast, property, "TypeError");
      return undefined;
    }
    const method = (base as Ast)[id];
    const params: unknown[] = [];
    for (const arg of args) params.push(arg(engine));
    if (candidates.length > 0) {
      const call: MethodCall = { property: id, params, context: base };
      for (const handler of candidates) if (handler.match(call)) return handler.resolve(call);
    }
    if (!method || !method.call) {
      engine._throw(ast, property, "TypeError");
      return undefined;
    }
    if (typeof base === "object") (base as Ast).eval = evalOf(engine);
    try {
      return method.apply(base, params);
    } catch (error) {
      const pos = ast.pos || POS_UNKNOWN;
      if (error instanceof Error) error.message += `on ${Helper.getRefText(ast as never)} at L/N ${pos.first_line}:${pos.first_column}`;
      throw error;
    }
  };
}

let evalEngine: Engine | undefined;
let evalFunction: (...text: unknown[]) => string = () => "";

/**
 * The eval() velocityjs hangs on an object whose own method a template calls, one per engine
 * rather than one per call: it only reaches the engine.
 */
function evalOf(engine: Engine): (...text: unknown[]) => string {
  if (evalEngine !== engine) {
    evalEngine = engine;
    evalFunction = (...text) => (text.length > 0 && typeof text[0] === "string" ? engine.eval(...text) : "");
  }
  return evalFunction;
}

/** Compile.getLiteral: strings (interpolated when they hold $ or #), numbers, lists, ranges, maps, booleans, references. */
function compileLiteral(literal: Ast): Value {
  switch (literal.type) {
    case "string": {
      const text: string = literal.value;
      if (!literal.isEval || (!text.includes("#") && !text.includes("$"))) return () => text;
      // Parsed at its first use, as velocityjs parses it at each: a text that cannot parse throws only then.
      let list: ListRender | undefined;
      return (engine) => (list ??= compileList(parse(text)))(engine, engine.contextId);
    }
    case "integer": {
      const n = parseInt(literal.value, 10);
      return () => n;
    }
    case "decimal": {
      const n = parseFloat(literal.value);
      return () => n;
    }
    case "array":
      return literal.isRange === true ? compileRange(literal.value) : compileArray(literal.value);
    case "map": {
      const entries = Object.entries((literal.value || {}) as Record<string, Ast>).map(([key, value]) => [key, compileLiteral(value)] as const);
      return (engine) => {
        const map: Record<string, unknown> = {};
        for (const [key, value] of entries) map[key] = value(engine);
        return map;
      };
    }
    case "bool": {
      const value = ({ true: true, false: false, null: null } as Record<string, unknown>)[literal.value];
      return () => value;
    }
    default:
      return compileReference(literal);
  }
}

function compileArray(items: Ast[]): Value {
  const values = items.map(compileLiteral);
  return (engine) => values.map((value) => value(engine));
}

function compileRange(ends: unknown[]): Value {
  const [first, last] = ends.map((end): Value => {
    if (typeof end === "string") {
      const n = parseInt(end, 10);
      return () => n;
    }
    if (typeof end === "number") return () => end;
    return compileReference(end as Ast);
  });
  return (engine) => {
    const begin = first(engine) as number;
    const end = last(engine) as number;
    if (Number.isNaN(begin) || Number.isNaN(end)) return [];
    const out: number[] = [];
    if (begin < end) for (let i = begin; i <= end; i++) out.push(i);
    else for (let i = begin; i >= end; i--) out.push(i);
    return out;
  };
}

/** Compile.getExpression, with AwsCompile's == and != (Velocity's equality). */
function compileExpression(ast: Ast): Value {
  if (ast.type !== "math") return compileLiteral(ast);
  const [a, b] = (ast.expression as Ast[]).map(compileExpression);
  switch (ast.operator) {
    case "==":
      return (engine) => velocityEquals(a(engine), b(engine));
    case "!=":
      return (engine) => !velocityEquals(a(engine), b(engine));
    case "+":
      return (engine) => (a(engine) as number) + (b(engine) as number);
    case "-":
      return (engine) => (a(engine) as number) - (b(engine) as number);
    case "/":
      return (engine) => (a(engine) as number) / (b(engine) as number);
    case "%":
      return (engine) => (a(engine) as number) % (b(engine) as number);
    case "*":
      return (engine) => (a(engine) as number) * (b(engine) as number);
    case "||":
      return (engine) => a(engine) || b(engine);
    case "&&":
      return (engine) => a(engine) && b(engine);
    case ">":
      return (engine) => (a(engine) as number) > (b(engine) as number);
    case "<":
      return (engine) => (a(engine) as number) < (b(engine) as number);
    case ">=":
      return (engine) => (a(engine) as number) >= (b(engine) as number);
    case "<=":
      return (engine) => (a(engine) as number) <= (b(engine) as number);
    case "minus":
      return (engine) => -(a(engine) as number);
    case "not":
      return (engine) => !a(engine);
    case "parenthesis":
      return a;
    default:
      return () => undefined;
  }
}
