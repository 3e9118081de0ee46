// The Java methods that mapping templates call on strings, maps and lists (velocityjs would
// otherwise call JavaScript's methods, or none: "abc".length() does not exist there), how a Java
// value prints, and the one handler through which velocityjs finds any method.
import { Compile } from "velocityjs";
import { javaMatches, javaReplace, javaSplit, javaTrim } from "./java";

/** A list read from JSON ($input.path): Jayway JsonPath hands templates a JSONArray, whose toString is JSON. */
export class JsonList extends Array<unknown> {}

/** What a reference prints: a null as nothing (as API Gateway prints it), maps and lists as Java's toString. */
export function printed(value: unknown): unknown {
  return value == null ? "" : typeof value === "object" ? javaToString(value) : value;
}

/**
 * What Java's toString prints for a value a template holds (maps as {k=v, ...}, lists as [a, b],
 * JSON lists as JSON). A map or list that holds itself prints "(this Map)" or "(this Collection)"
 * there, as Java's AbstractMap and AbstractCollection do; a longer cycle overflows the stack in
 * both.
 */
export function javaToString(value: unknown): string {
  if (value instanceof JsonList) return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map((item) => (item === value ? "(this Collection)" : javaToString(item))).join(", ") + "]";
  if (value !== null && typeof value === "object") {
    return "{" + Object.entries(value).map(([k, v]) => `${k}=${v === value ? "(this Map)" : javaToString(v)}`).join(", ") + "}";
  }
  return String(value);
}

export type MethodCall = { property: string; context: unknown; params: unknown[] };

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

export const JAVA_METHODS: MethodHandler[] = [
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

/** A method handler as velocityjs asks them in turn: the first whose match() holds resolves the call. */
export interface MethodHandler {
  uid: string;
  match(call: MethodCall): boolean;
  resolve(call: MethodCall): unknown;
}

// velocityjs's own handlers, by uid, and the method names each can match at all (each also looks
// at the value); a uid not listed here is asked about every name.
const SYSTEM_PREFIXES: Record<string, string> = { "system: getValue": "get", "system: isValue": "is", "system: setValue": "set" };
const SYSTEM_NAMES = new Set(["get", "set", "keySet", "entrySet", "size", "put", "add", "remove", "subList"]);

export function canMatch(handler: MethodHandler, name: string): boolean {
  if (handler.uid === JAVA_METHODS[0].uid) return Object.hasOwn(STRING_METHODS, name);
  if (handler.uid === JAVA_METHODS[1].uid) return Object.hasOwn(COLLECTION_METHODS, name);
  const prefix = SYSTEM_PREFIXES[handler.uid];
  // Not its length test as well: its match() looks into the value before that, and throws on a
  // string or a number ("is" on a string), which velocityjs lets through to the template.
  if (prefix !== undefined) return name.startsWith(prefix);
  if (handler.uid.startsWith("system: ") && SYSTEM_NAMES.has(handler.uid.slice(8))) return handler.uid.slice(8) === name;
  return true;
}

/** velocityjs's list as it builds it from ours: JAVA_METHODS first, then its own "system" handlers. */
export const METHOD_HANDLERS: readonly MethodHandler[] = (new Compile([], { customMethodHandlers: JAVA_METHODS }) as unknown as { config: { customMethodHandlers: MethodHandler[] } })
  .config.customMethodHandlers;

const byName = new Map<string, MethodHandler[]>();

/** The handlers, in the list's order, that can match a method of this name. */
export function methodsNamed(name: string): MethodHandler[] {
  let list = byName.get(name);
  if (!list) byName.set(name, (list = METHOD_HANDLERS.filter((handler) => canMatch(handler, name))));
  return list;
}

const firstMatch = (call: MethodCall) => methodsNamed(call.property).find((handler) => handler.match(call));

/**
 * One handler that stands for the whole list, in its order, asking only the handlers that can
 * match the method's name. velocityjs asks all 14 about every call, and that was a fifth of a render.
 */
export const METHOD_DISPATCHER: MethodHandler = {
  uid: "denwa: by method name",
  match: (call) => firstMatch(call) !== undefined,
  resolve: (call) => firstMatch(call)!.resolve(call),
};

/**
 * Velocity's ==: numbers by value, values of one class by equals, others by their toString. On
 * AWS a null equals "" as well as null (recorded), and an empty list equals neither.
 */
export function velocityEquals(left: unknown, right: unknown): boolean {
  const l = left ?? null;
  const r = right ?? null;
  if (l === null || r === null) return l === r || javaToString(l ?? r) === "";
  if (typeof l === "number" && typeof r === "number") return l === r;
  if (typeof l === typeof r && typeof l !== "object") return l === r;
  return javaToString(l) === javaToString(r);
}
