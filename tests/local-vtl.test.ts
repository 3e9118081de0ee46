import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readTemplates } from "../infra/templates";
import { JsonBodyError, renderTemplate, type TemplateInput } from "../local/vtl";

const TRICKY = `'"\\ 日本語 😀\nnext`;

function input(overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    body: "",
    params: { path: {}, querystring: {}, header: {} },
    context: { httpMethod: "POST", stage: "dev", requestId: "req-1" },
    stageVariables: {},
    ...overrides,
  };
}

const render = (template: string, overrides: Partial<TemplateInput> = {}) => renderTemplate(template, input(overrides)).output;

const util = suite("$util");

util("escapeJavaScript escapes quotes, backslashes, newlines and non-ASCII; the replaceAll idiom makes it JSON", () => {
  const vars = { stageVariables: { v: TRICKY } };
  assert.is(render("$util.escapeJavaScript($stageVariables.v)", vars), "\\'\\\"\\\\ \\u65E5\\u672C\\u8A9E \\uD83D\\uDE00\\nnext");
  const json = render(`{"v": "$util.escapeJavaScript($stageVariables.v).replaceAll("\\\\'", "'")"}`, vars);
  assert.equal(JSON.parse(json), { v: TRICKY }, "the idiom yields JSON that decodes to the original text");
});

util("base64Encode and base64Decode work on UTF-8 bytes", () => {
  const vars = { stageVariables: { v: TRICKY, b: Buffer.from(TRICKY, "utf8").toString("base64") } };
  assert.is(render("$util.base64Encode($stageVariables.v)", vars), Buffer.from(TRICKY, "utf8").toString("base64"));
  assert.is(render("$util.base64Decode($stageVariables.b)", vars), TRICKY);
});

util("urlEncode and urlDecode follow Java's URLEncoder: space is +", () => {
  const vars = { stageVariables: { v: TRICKY, e: "a+b%27%22%5C%E6%97%A5%F0%9F%98%80" } };
  assert.is(render("$util.urlEncode($stageVariables.v)", vars), "%27%22%5C+%E6%97%A5%E6%9C%AC%E8%AA%9E+%F0%9F%98%80%0Anext");
  assert.is(render("$util.urlDecode($stageVariables.e)", vars), `a b'"\\日😀`);
});

util("parseJson gives a map to navigate, printed as Java prints maps", () => {
  const vars = { stageVariables: { j: '{"a":{"b":"日本"},"list":[1,2]}' } };
  assert.is(render("#set($m = $util.parseJson($stageVariables.j))$m.a.b $m.list.size() $m.containsKey('a') $m", vars), "日本 2 true {a={b=日本}, list=[1, 2]}");
});

util.run();

const engine = suite("Velocity 1.7 quirks");

engine("## right after a dotted reference is printed, not a comment, as on Velocity 1.7 (VELOCITY-783)", () => {
  const vars = { body: JSON.stringify({ a: { b: "B" } }) };
  assert.is(render("#set($r = $input.path('$'))$r.a.b## text\nnext", vars), "B## text\nnext");
  assert.is(render("#set($r = $input.path('$'))${r.a.b}## a comment\nnext", vars), "Bnext", "the formal reference ends before the comment");
  assert.throws(() => render("#set($r = $input.path('$'))$r.a.b##", vars), /VELOCITY-783/, "Velocity 1.7 cannot parse it at the end");
});

engine("null and missing references print as nothing, as API Gateway prints them", () => {
  assert.is(render("[$context.missing][$input.path('$.n')][$util.escapeJavaScript($context.missing)]", { body: '{"n":null}' }), "[][][]");
});

engine("$input and $util have no eval(), which velocityjs adds to objects: it prints nothing, as an unknown method does", () => {
  const template = "[$input.json('$.a')][$input.eval('$input.body')][$util.escapeJavaScript('a')][$util.eval('$input.body')]";
  assert.is(render(template, { body: '{"a":1}' }), "[1][][a][]");
  assert.is(render("[$util.eval('$input.body')]", { body: "second" }), "[]", "no render reaches an earlier one's engine through $util");
});

engine.run();

const inputs = suite("$input");

inputs("$input.body is the raw text, never JSON-quoted", () => {
  assert.is(render("[$input.body]", { body: `{"a": "x"}\n` }), `[{"a": "x"}\n]`);
  assert.is(render("[$input.body]", { body: TRICKY }), `[${TRICKY}]`);
});

inputs("$input.json returns JSON text and $input.path returns the value", () => {
  const body = JSON.stringify({ name: TRICKY, n: 3, items: [{ id: "x" }] });
  assert.is(render("$input.json('$.name')", { body }), JSON.stringify(TRICKY));
  assert.is(render("$input.json('$.items[0]')", { body }), '{"id":"x"}');
  assert.is(render("$input.path('$.name')", { body }), TRICKY);
  assert.is(render("#set($n = $input.path('$.n'))$n $input.path('$.items').size() $input.path('$.items[0].id')", { body }), "3 1 x");
  assert.is(render("$input.json('$')", { body: "" }), "{}", "an empty body reads as an empty object");
});

inputs("$input.json on a body that is not JSON fails as API Gateway's 400", () => {
  assert.throws(() => render("$input.json('$')", { body: "a=b" }), (e: unknown) => e instanceof JsonBodyError && /Could not parse request body into json/.test((e as Error).message));
  const parserSays = (() => {
    try {
      return JSON.parse("a=b");
    } catch (error) {
      return (error as Error).message;
    }
  })();
  for (const template of ["$input.json('$')", "#set($x = $input.path('$.a'))$x"]) {
    try {
      render(template, { body: "a=b" });
      assert.unreachable(`${template} renders on a body that is not JSON`);
    } catch (error) {
      assert.is((error as JsonBodyError).answer, `Could not parse request body into json: ${parserSays}`, `the 400's message names the parser's complaint and not where ${template} called it`);
    }
  }
});

inputs("$input.params(name) looks in path, then query string, then headers (header names in any case)", () => {
  const params = { path: { id: "from-path" }, querystring: { id: "from-query", q: "from-query" }, header: { "X-Q": "from-header", q: "header-q" } };
  assert.is(render("$input.params('id') $input.params('q') $input.params('x-q') [$input.params('none')]", { params }), "from-path from-query from-header []");
});

inputs("$input.params() holds path, querystring and header maps to iterate", () => {
  const params = { path: {}, querystring: { a: "1", b: "2" }, header: { Host: "h" } };
  assert.is(render("#set($p = $input.params())#foreach($k in $p.querystring.keySet())$k=$p.querystring.get($k)#if($foreach.hasNext)&#end#end $p.header.Host", { params }), "a=1&b=2 h");
});

inputs.run();

const strings = suite("Java String methods in templates");

strings("length, contains, toLowerCase, trim, substring, split and matches behave as java.lang.String", () => {
  const vars = { stageVariables: { s: " Hello,World,,日本😀 " } };
  assert.is(render("$stageVariables.s.length()", vars), "19", "length counts UTF-16 units, as Java");
  assert.is(render("$stageVariables.s.contains('World') $stageVariables.s.toLowerCase().trim()", vars), "true hello,world,,日本😀");
  assert.is(render("$stageVariables.s.trim().split(',').size() $stageVariables.s.substring(1, 6)", vars), "4 Hello");
  assert.is(render("$stageVariables.s.matches('.*World.*') $stageVariables.s.matches('World')", vars), "true false");
  assert.is(render("$stageVariables.s.replaceAll('[A-Z]', '*').replace(',', ';')", vars), " *ello;*orld;;日本😀 ");
});

strings("a method Java would throw on fails the template", () => {
  assert.throws(() => render("$stageVariables.s.substring(5)", { stageVariables: { s: "abc" } }), /String index out of range/);
});

strings.run();

const context = suite("$context and $stageVariables");

context("$context values and $stageVariables are readable; responseOverride is returned", () => {
  const result = renderTemplate(
    "$context.httpMethod $context.stage $stageVariables.voice#set($context.responseOverride.status = 418)#set($context.responseOverride.header.X-Extra = 'yes')",
    input({ stageVariables: { voice: "Polly.Mizuki" } }),
  );
  assert.is(result.output, "POST dev Polly.Mizuki");
  assert.equal(result.responseOverride, { status: 418, headers: { "X-Extra": "yes" } });
});

context.run();

const templates = suite("infra/templates through the engine");

templates("request.vtl turns a tricky form POST into valid JSON with the body's exact bytes in base64", () => {
  const { request } = readTemplates();
  const body = Buffer.from(`Body=${encodeURIComponent(TRICKY)}&From=%2B8190&Extra=a+b`, "utf8");
  const headers = { Host: "abc.example", "X-Twilio-Signature": `sig'"\\`, "X-Note": `line1\nline2 '"\\ 日本 😀` };
  const out = renderTemplate(
    request,
    input({
      body: body.toString("utf8"),
      params: { path: {}, querystring: { [`q'"\\`]: `v\n'"\\ 😀`, 日本: "語" }, header: headers },
      context: {
        httpMethod: "POST",
        stage: "dev",
        domainName: "abc.example",
        path: "/dev/voice/hello",
        resourcePath: "/voice/hello",
        requestId: "6f1c7e0a-0000-4000-8000-000000000000",
        identity: { sourceIp: "203.0.113.9" },
      },
      stageVariables: { voice: `Polly.'"\\` },
    }),
  ).output;
  const event = JSON.parse(out);
  assert.equal(event, {
    method: "POST",
    stage: "dev",
    domainName: "abc.example",
    path: "/dev/voice/hello",
    resourcePath: "/voice/hello",
    requestId: "6f1c7e0a-0000-4000-8000-000000000000",
    sourceIp: "203.0.113.9",
    headers,
    query: { [`q'"\\`]: `v\n'"\\ 😀`, 日本: "語" },
    stageVariables: { voice: `Polly.'"\\` },
    body: body.toString("base64"),
  });
});

templates("response.vtl prints the raw body with status and Content-Type from responseOverride, no trailing newline", () => {
  const { response } = readTemplates();
  const twiml = `<?xml version="1.0" encoding="UTF-8"?><Response><Message>日本 😀 '"&amp;&lt;\n</Message></Response>`;
  const result = renderTemplate(response, input({ body: JSON.stringify({ statusCode: 403, contentType: "application/xml", body: twiml }) }));
  assert.is(result.output, twiml);
  assert.equal(result.responseOverride, { status: 403, headers: { "Content-Type": "application/xml" } });
});

templates("error-debug.vtl shows the Lambda error message as text/plain", () => {
  const { errorDebug } = readTemplates();
  const result = renderTemplate(errorDebug, input({ body: JSON.stringify({ errorType: "Error", errorMessage: "boom '日本'" }) }));
  assert.is(result.output, "An application error occurred: boom '日本'");
  assert.equal(result.responseOverride.headers, { "Content-Type": "text/plain; charset=utf-8" });
});

templates.run();
