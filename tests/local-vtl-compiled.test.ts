// The compiled templates (local/vtl-compiled.ts) against velocityjs's interpreter, which the
// conformance recordings and the Velocity 1.7 oracle hold to AWS: every template the suites know,
// and fuzzed ones over the whole language, must give the same output, the same $context
// overrides, or the same error.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readTemplates } from "../infra/templates";
import { interpretTemplate, renderTemplate, type TemplateInput } from "../local/vtl";
import { seedFromEnv } from "../scripts/reliability/property";

const SEED = seedFromEnv();

const BODY = JSON.stringify({ a: { b: [1, 2, { c: "x" }], s: "Hello World", n: 3, t: true, z: null }, list: ["p", "q"], empty: [] });

function input(overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    body: BODY,
    params: { path: { id: "7" }, querystring: { q: "v w" }, header: { "Content-Type": "application/json", "X-A": "it's \"1\"" } },
    context: { httpMethod: "POST", stage: "dev", requestId: "r-1", identity: { sourceIp: "203.0.113.9" } },
    stageVariables: { s1: "v1", empty: "" },
    ...overrides,
  };
}

type Outcome = { output: string; overrides: string } | { error: string };

function outcome(render: typeof renderTemplate, template: string, given: TemplateInput): Outcome {
  try {
    const rendered = render(template, given);
    return { output: rendered.output, overrides: JSON.stringify(rendered.overrides) };
  } catch (error) {
    // Where a runaway #define or #macro runs out of stack depends on the engine's frames, not on the template.
    if (error instanceof RangeError && error.message.startsWith("Maximum call stack size exceeded")) return { error: "stack overflow" };
    return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

function assertSame(template: string, given: TemplateInput = input()): void {
  assert.equal(outcome(renderTemplate, template, given), outcome(interpretTemplate, template, given), `compiled and interpreted differ on ${JSON.stringify(template)}`);
}

const known = suite("compiled templates: every template the suites know");

known("denwa's own templates over varied requests, including text that needs escaping", () => {
  const templates = readTemplates();
  const headers: Record<string, string>[] = [{}, { "X-Twilio-Signature": "a/b+c=", Quote: `it's "x" \\ 日本 😀\n` }, { "content-type": "application/x-www-form-urlencoded" }];
  for (const [name, template] of Object.entries(templates)) {
    for (const header of headers) {
      for (const body of ["", "From=%2B81&Body=%E6%97%A5", BODY, JSON.stringify({ statusCode: 200, contentType: "application/xml", body: "<Response/>" })]) {
        assertSame(template, input({ body, params: { path: {}, querystring: { a: "b'c" }, header } }));
      }
    }
    assert.ok(template.length > 0, `${name}.vtl was read`);
  }
});

known("every template of the recorded conformance cases, on its recorded input", () => {
  const dir = join(__dirname, "conformance");
  let count = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const cases = JSON.parse(readFileSync(join(dir, file), "utf8")).cases as { templates?: string[]; input?: Partial<TemplateInput> }[];
    for (const c of cases) {
      for (const template of c.templates ?? []) {
        assertSame(template, input(c.input));
        count++;
      }
    }
  }
  assert.ok(count >= 20, `the conformance files hold template cases (found ${count})`);
});

known("#foreach scopes as velocityjs keeps them (left in place after a map or an empty list, a local that holds null), #set of a guarded name and inside a macro, #break, #stop, raw text", () => {
  for (const template of [
    "#set($map = {'a': 1, 'b': 2})#foreach($i in $map)$i#{end}[$i]",
    "#foreach($i in [])#{end}[$i]#foreach($i in [1, 2])$i#{end}[$i]",
    "#foreach($i in [1, 2])#set($map = {'k': $i})#foreach($j in $map)$j#end#{end}[$i][$j]",
    "#set($i = 'global')#foreach($i in [$missing])[$i]#end[$i]",
    "#foreach($i in [1, 2, 3])$foreach.index:$velocityCount:$foreach.hasNext #if($i == 2)#break#end#end",
    "$input.json('$.a')$input.eval('[$input.body.length()]')",
    "[$keySet()][$size()][$s()]",
    "#[[raw $x #if($a)]]#$s",
    "a#foreach($i in [1, 2])$i#if($i == 1)#stop()#end#end never",
    "#set($__proto__ = {'k': 'leak'})#set($constructor = 'c')[$k][$__proto__][$constructor]#foreach($i in [1])#set($__proto__ = 'q')#end[$__proto__]",
    "#macro(m)#set($x = 'in macro')#end#foreach($x in [1])#m()[$x]#end[$x]",
  ]) {
    assertSame(template);
  }
});

known.run();

// Fuzzed templates: references with property, index and method chains, literals of every kind,
// #set, #if/#elseif/#else, nested #foreach with $foreach and #break, #macro, #define, comments,
// escapes, interpolated strings, and calls that throw.
const REFERENCES = [
  "$x", "$m", "$l", "$s", "$n", "$missing", "$missing.deep", "$!missing", "${s}", "$!{m.k}",
  "$input.path('$.a')", "$input.path('$.a.b')", "$input.path('$.list')", "$input.json('$.a')", "$input.json('$.a.b[2]')",
  "$input.params('q')", "$input.params('x-a')", "$input.params().header", "$input.params().path.id", "$input.body",
  "$context.stage", "$context.identity.sourceIp", "$context.responseOverride.status", "$stageVariables.s1", "$stageVariables.empty",
  "$util.escapeJavaScript($s)", "$util.escapeJavaScript($input.params('x-a')).replaceAll(\"\\\\'\", \"'\")", "$util.urlEncode($s)",
  "$util.base64Encode($s)", "$util.parseJson('{\"k\": [1]}').k", "$s.length()", "$s.substring(1, 3)", "$s.substring(9)",
  "$s.toUpperCase()", "$s.replaceAll('o', '0')", "$s.split(' ')", "$s.matches('H.*')", "$s.charAt(0)", "$l.size()", "$l[0]",
  "$l.get(1)", "$l.isEmpty()", "$l.contains('p')", "$m.keySet()", "$m.get('k')", "$m.k", "$m.isEmpty()", "$m.entrySet()",
  "$m.size()", "$m.containsKey('k')", "$m.getK()", "$foreach.index", "$foreach.hasNext", "$foreach.count", "$velocityCount",
  "$i", "$j", "$input.path('$.a').b[0]", "$input.path('$.a')['s']", "$l[$n]", "$input.path('$.empty')", "$m.put('k', 'w')",
  "$l.add('r')", "$m.remove('k')", "$input.json('$.nothing')", "$input.path('$.a.z')", "$input.eval('[$n]')",
];
const LITERALS = ["'str'", "\"interp $s and #if($n > 1)big#end\"", "3", "2.5", "true", "false", "[1, 'a', $s]", "[1..3]", "[$n..1]", "{'k': 'v', 'n': $n}", "[]", "{}", "\"\""];
const CONDITIONS = [
  "$x == 'a'", "$x != $s", "$n > 2", "$n <= 3", "!$t", "$t && $n", "$missing || $s", "($n + 1) == 4", "$missing == ''",
  "$l.isEmpty()", "$m", "$n % 2 == 1", "$n - 1 >= 2", "$s == \"Hello World\"", "$input.path('$.empty') == ''", "$input.path('$.a.z') == ''",
];
const TEXT = ["a", " ", "\n", "x,y", "\"q\"", "日本", "## a comment\n", "\\$x"];

const pick = (list: string[]) => fc.constantFrom(...list);
const expression = fc.oneof(pick(REFERENCES), pick(LITERALS), fc.tuple(pick(REFERENCES), fc.constantFrom("+", "-", "*", "/"), pick(["1", "'s'"])).map(([a, op, b]) => `${a} ${op} ${b}`));

const assignment = fc.oneof(
  fc.tuple(pick(["x", "m", "s", "n", "l", "context.responseOverride.status", "context.responseOverride.header.X-Y"]), expression).map(([target, value]) => `#set($${target} = ${value})`),
  // A literal only: $m.k = $m would make a map that holds itself, whose printing never ends.
  pick(LITERALS).map((value) => `#set($m.k = ${value})`),
);
// What a #macro or #define holds: no #macro or #define of its own, which could call itself forever.
const flat = fc.array(fc.oneof(pick(TEXT), pick(REFERENCES), assignment), { maxLength: 4 }).map((parts) => parts.join(""));

const template = fc.letrec<{ body: string; statement: string }>((tie) => ({
  body: fc.array(tie("statement"), { maxLength: 5 }).map((parts) => parts.join("")),
  statement: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    pick(TEXT),
    pick(REFERENCES),
    assignment,
    fc.tuple(pick(CONDITIONS), tie("body"), fc.option(fc.tuple(pick(CONDITIONS), tie("body"))), fc.option(tie("body"))).map(
      ([condition, then, elseif, otherwise]) => `#if(${condition})${then}${elseif ? `#elseif(${elseif[0]})${elseif[1]}` : ""}${otherwise !== null ? `#else${otherwise}` : ""}#end`,
    ),
    fc.tuple(pick(["i", "j", "x", "s"]), pick(["$l", "$m", "$m.keySet()", "[1..3]", "$input.path('$.list')", "$input.path('$.empty')", "$s", "$missing", "$input.path('$.a')"]), tie("body"), fc.boolean()).map(
      ([variable, items, body, stop]) => `#foreach($${variable} in ${items})${body}${stop ? "#if($foreach.index == 1)#break#end" : ""}#end`,
    ),
    flat.map((body) => `#macro(mac $p)[$p ${body}]#end#mac($s)#mac('lit')`),
    flat.map((body) => `#define($d)<${body}>#end$d$d`),
  ),
}));

// Each template starts from the same variables, so that every reference has something to find.
const PRELUDE = "#set($s = 'Hello World')#set($n = 3)#set($t = true)#set($l = ['p', 'q'])#set($m = {'k': 'v'})#set($x = 'a')";

const fuzz = suite("compiled templates: fuzzed templates");

fuzz(`600 random templates give what the interpreter gives (seed ${SEED})`, () => {
  fc.assert(
    fc.property(template.body, (body) => {
      assertSame(PRELUDE + body);
      assertSame(body, input({ body: "not json" }));
    }),
    { numRuns: 600, seed: SEED },
  );
});

fuzz("a template the interpreter cannot parse fails the same way, and the compiled one is not cached as good", () => {
  assertSame("#if($a");
  assertSame("#set($q = \"#if(\")$q");
});

fuzz.run();
