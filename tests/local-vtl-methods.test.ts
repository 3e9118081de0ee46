import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Compile } from "velocityjs";
import { canMatch, JAVA_METHODS, METHOD_DISPATCHER, METHOD_HANDLERS, type MethodCall, type MethodHandler } from "../local/vtl-methods";

// The list velocityjs builds from ours: JAVA_METHODS first, then its own "system" handlers.
const HANDLERS = (new Compile([], { customMethodHandlers: JAVA_METHODS }) as unknown as { config: { customMethodHandlers: MethodHandler[] } }).config
  .customMethodHandlers;

const NAMES = [
  "length", "isEmpty", "contains", "equals", "substring", "replaceAll", "split", "toString", "trim", "containsKey", "values", "put",
  "get", "set", "keySet", "entrySet", "size", "add", "remove", "subList", "getFoo", "getfoo", "isFoo", "setFoo", "is", "se", "g",
  "getValue", "isValue", "setValue", "json", "path", "params", "escapeJavaScript", "eval", "nothing", "",
];
const CONTEXTS: unknown[] = ["text", "", [], ["a"], {}, { get: 1 }, { keySet: () => 1 }, { foo: 1, Foo: 2 }, { getFoo: 1 }, { toString: 1 }, 3, true];

const candidates = suite("canMatch and methodDispatcher");

candidates("velocityjs's list holds its own handlers after ours, each under a uid canMatch knows", () => {
  assert.is(HANDLERS.length, JAVA_METHODS.length + 12, "2 of ours and velocityjs 2.1.7's 12");
  assert.equal(HANDLERS.slice(0, 2), JAVA_METHODS, "ours come first");
  for (const handler of HANDLERS.slice(2)) assert.match(handler.uid, /^system: \w+$/, `velocityjs names its handler ${handler.uid} as canMatch expects`);
  assert.is(canMatch({ uid: "someone else's", match: () => true, resolve: () => 1 }, "anything"), true, "a handler canMatch does not know is asked about every name");
});

candidates("the dispatcher finds what velocityjs's search over the whole list finds (or throws as it does), and resolves alike", () => {
  const dispatcher = METHOD_DISPATCHER;
  assert.equal(METHOD_HANDLERS, HANDLERS, "the dispatcher searches the list velocityjs builds from ours");
  let matched = 0;
  for (const name of NAMES) {
    for (const context of CONTEXTS) {
      const call = (): MethodCall => ({ property: name, params: ["x", 1], context: copyOf(context) });
      // Some of velocityjs's own handlers throw on a number or a string ("in" on a primitive): so must the dispatcher.
      const expected = safely(() => HANDLERS.find((handler) => handler.match(call())));
      const found = typeof expected === "string" ? expected : expected !== undefined;
      assert.equal(safely(() => dispatcher.match(call())), found, `.${name}() on ${JSON.stringify(context)}`);
      if (found !== true) continue;
      matched++;
      const handler = expected as MethodHandler;
      assert.is(safely(() => dispatcher.resolve(call())), safely(() => handler.resolve(call())), `.${name}() on ${JSON.stringify(context)}`);
    }
  }
  assert.ok(matched > 100, `most pairs find a handler (${matched})`);
});

function copyOf(value: unknown): unknown {
  return typeof value === "object" && value !== null ? (Array.isArray(value) ? [...value] : { ...value }) : value;
}

/** What a call gives, as text to compare (a function as its source), or what it throws. */
function safely(run: () => unknown): unknown {
  try {
    const value = run();
    return typeof value === "object" && value !== null && !("match" in value) ? JSON.stringify(value) : value;
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

candidates.run();
