import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ECHO, startEmulator, type Emulator, type FixtureStack } from "./helpers/local-stack";

// A request template that hands the function what the test needs to see.
const ECHO_TEMPLATE = String.raw`{"body": "$util.escapeJavaScript($input.body).replaceAll("\\'", "'")", "template": "TYPE", "id": "$input.params('id')"}`;
const template = (type: string) => ECHO_TEMPLATE.replace("TYPE", type);
const FAIL = { "index.js": "exports.handler = async (event) => { throw new Error(event.message); };" };
const REQUEST_VTL = readFileSync(join(__dirname, "..", "infra", "templates", "request.vtl"), "utf8");

type Context = { emulator: Emulator };

/** A suite with its own emulator on the given stack, closed after its tests. */
function withStack(name: string, stack: FixtureStack) {
  const test = suite<Context>(name);
  test.before(async (context) => {
    context.emulator = await startEmulator(stack);
  });
  test.after(async (context) => {
    await context.emulator.close();
  });
  return test;
}

const routing = withStack("routing", {
  functions: { echo: { files: ECHO } },
  methods: [
    { path: "/items/{id}", method: "ANY", function: "echo", requestTemplates: { "application/json": template("param") } },
    { path: "/items/special", method: "GET", function: "echo", requestTemplates: { "application/json": template("literal") } },
    { path: "/hello", method: "POST", function: "echo", requestTemplates: { "application/json": template("hello") } },
  ],
});

routing("ANY takes every method and {id} takes the segment as sent, percent-encoded (recorded: tests/conformance/aws-proxy-event.json)", async ({ emulator }) => {
  for (const method of ["GET", "DELETE", "PATCH"]) {
    const answer = await emulator.request("/test/items/%E6%97%A5%20x", { method });
    assert.is(answer.status, 200, `${method} reaches the ANY method`);
    assert.equal(JSON.parse(answer.body), { body: "{}", template: "param", id: "%E6%97%A5%20x" }, "an empty body reads as {} in $input.body");
  }
});

routing("a literal path part wins over {param}", async ({ emulator }) => {
  assert.is(JSON.parse((await emulator.request("/test/items/special")).body).template, "literal");
  assert.is(JSON.parse((await emulator.request("/test/items/specia")).body).template, "param", "a near miss still takes the {param}");
});

routing("unknown paths, methods and stages get 403 Missing Authentication Token", async ({ emulator }) => {
  for (const [method, path] of [["GET", "/test/nope"], ["GET", "/test/hello"], ["POST", "/prod/hello"], ["GET", "/"]]) {
    const answer = await emulator.request(path, { method });
    assert.is(answer.status, 403, `${method} ${path}`);
    assert.is(answer.body, '{"message":"Missing Authentication Token"}');
    assert.is(answer.headers["content-type"], "application/json");
  }
});

routing.run();

const selection = withStack("request template selection", {
  functions: { echo: { files: ECHO } },
  methods: [
    {
      path: "/hello",
      method: "ANY",
      function: "echo",
      passthrough: "NEVER",
      requestTemplates: { "application/json": template("json"), "application/x-www-form-urlencoded": template("form") },
    },
    { path: "/reads-json", method: "POST", function: "echo", requestTemplates: { "application/json": `{"a": $input.json('$.a')}` } },
  ],
});

selection("the template is chosen by media type only: parameters and case are ignored", async ({ emulator }) => {
  for (const type of ["application/x-www-form-urlencoded", "Application/X-WWW-Form-URLEncoded; charset=utf-8"]) {
    const answer = await emulator.request("/test/hello", { method: "POST", headers: { "Content-Type": type }, body: "a=1" });
    assert.equal(JSON.parse(answer.body), { body: "a=1", template: "form", id: "" }, type);
  }
});

selection("no Content-Type means application/json", async ({ emulator }) => {
  const answer = await emulator.request("/test/hello");
  assert.equal(JSON.parse(answer.body).template, "json");
});

selection("the log line names method, path, status, time, template and response", async ({ emulator }) => {
  await emulator.request("/test/hello?x=1", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=1" });
  assert.match(
    emulator.log[emulator.log.length - 1],
    /^POST \/test\/hello 200 \d+ms route=ANY \/hello request=application\/x-www-form-urlencoded response=200 \(default\) template=passthrough$/,
  );
});

// AWS's own answer, quoted in serverless/serverless#2270 and aws-quickstart/quickstart-git2s3#11:
// {"message": "Could not parse request body into json: <the parser's message>"}, no template location.
// Not recorded: the parser's wording itself, which is Jackson's there and V8's here.
selection("a template that reads a body that is not JSON as JSON answers 400 with the parser's message alone", async ({ emulator }) => {
  const answer = await emulator.request("/test/reads-json", { method: "POST", headers: { "Content-Type": "application/json" }, body: "a=b" });
  assert.is(answer.status, 400);
  const message = JSON.parse(answer.body).message as string;
  assert.ok(message.startsWith("Could not parse request body into json: "), message);
  assert.not.match(message, /L\/N|\$input/, "nothing of velocityjs's note on where the template called it");
});

selection.run();

const passthrough = withStack("passthrough behaviors", {
  functions: { echo: { files: ECHO } },
  methods: [
    { path: "/never", method: "POST", function: "echo", passthrough: "NEVER", requestTemplates: { "application/json": template("json") } },
    { path: "/match", method: "POST", function: "echo", passthrough: "WHEN_NO_MATCH", requestTemplates: { "application/xml": template("xml") } },
    { path: "/templates", method: "POST", function: "echo", passthrough: "WHEN_NO_TEMPLATES", requestTemplates: { "application/xml": template("xml") } },
    { path: "/empty", method: "POST", function: "echo", passthrough: "WHEN_NO_TEMPLATES" },
  ],
});

const UNSUPPORTED = '{"message":"Unsupported Media Type"}';
const json = { "Content-Type": "application/json" };

passthrough("NEVER answers 415 for a media type without a template", async ({ emulator }) => {
  const answer = await emulator.request("/test/never", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "hi" });
  assert.is(answer.status, 415);
  assert.is(answer.body, UNSUPPORTED);
});

passthrough("WHEN_NO_MATCH passes an unmatched body through untransformed", async ({ emulator }) => {
  const answer = await emulator.request("/test/match", { method: "POST", headers: json, body: '{"raw": "日本"}' });
  assert.is(answer.status, 200);
  assert.equal(JSON.parse(answer.body), { raw: "日本" });
});

passthrough("WHEN_NO_TEMPLATES answers 415 when templates exist but none matches, and passes through when there are none", async ({ emulator }) => {
  const refused = await emulator.request("/test/templates", { method: "POST", headers: json, body: "{}" });
  assert.is(refused.status, 415);
  assert.is(refused.body, UNSUPPORTED);
  const passed = await emulator.request("/test/empty", { method: "POST", headers: json, body: '{"raw": 1}' });
  assert.equal(JSON.parse(passed.body), { raw: 1 });
});

passthrough("a passed-through body that is not JSON fails as Lambda refuses it: 500 and a log line", async ({ emulator }) => {
  const answer = await emulator.request("/test/match", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "not json" });
  assert.is(answer.status, 500);
  assert.is(answer.body, '{"message":"Internal server error"}');
  assert.ok(emulator.log.some((line) => line.includes("Lambda refuses a payload that is not JSON")));
});

passthrough.run();

const headers = withStack("headers and $context", {
  functions: { echo: { files: ECHO } },
  methods: [
    { path: "/hook/{id}", method: "POST", function: "echo", requestTemplates: { "application/x-www-form-urlencoded": REQUEST_VTL } },
    { path: "/params/{id}", method: "GET", function: "echo", requestTemplates: { "application/json": String.raw`{"id": "$input.params('id')", "q": "$input.params('q')", "h": "$input.params('h')"}` } },
  ],
  stageVariables: { voice: "Polly.Mizuki" },
});

headers("the function gets Host and X-Forwarded-* as API Gateway passes them, and $context from the request", async ({ emulator }) => {
  const answer = await emulator.request("/test/hook/7?a=b+c&%E6%97%A5=%E8%AA%9E&a=last", {
    method: "POST",
    headers: {
      Host: "abc.example",
      "X-Forwarded-Proto": "https",
      "X-Forwarded-For": "198.51.100.7",
      "Content-Type": "application/x-www-form-urlencoded",
      "User-Agent": "TwilioProxy/1.1",
    },
    body: "Body=hi",
  });
  const event = JSON.parse(answer.body);
  const port = new URL(emulator.server.url).port;
  assert.is(event.headers.Host, "abc.example");
  assert.is(event.headers["X-Forwarded-Proto"], "https", "the proxy's word is kept");
  assert.is(event.headers["X-Forwarded-Port"], port, "the emulator's own port when no proxy said otherwise");
  assert.is(event.headers["X-Forwarded-For"], "198.51.100.7, 127.0.0.1", "the client's address is appended");
  assert.match(event.headers["X-Amzn-Trace-Id"], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/, "API Gateway starts a trace when the client sent none");
  assert.equal(event.query, { a: "last", 日: "語" }, "query values are decoded and the last repeat wins");
  assert.equal(
    [event.method, event.stage, event.domainName, event.path, event.resourcePath, event.sourceIp, event.stageVariables],
    ["POST", "test", "abc.example", "/test/hook/7", "/hook/{id}", "127.0.0.1", { voice: "Polly.Mizuki" }],
  );
  assert.is(event.requestId, answer.headers["x-amzn-requestid"], "$context.requestId is the id API Gateway answers with");
  assert.match(event.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is(Buffer.from(event.body, "base64").toString(), "Body=hi");
});

headers("without a proxy in front, X-Forwarded-Proto is http and the domain is the Host without its port", async ({ emulator }) => {
  const answer = await emulator.request("/test/hook/1", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
  const event = JSON.parse(answer.body);
  assert.is(event.headers["X-Forwarded-Proto"], "http");
  assert.is(event.domainName, "127.0.0.1");
});

headers("$input.params(name) looks in the path, then the query string, then the headers", async ({ emulator }) => {
  const answer = await emulator.request("/test/params/from-path?id=from-query&q=from-query&h=from-query", { headers: { id: "from-header", q: "from-header", h: "from-header" } });
  assert.equal(JSON.parse(answer.body), { id: "from-path", q: "from-query", h: "from-query" });
  const headerOnly = await emulator.request("/test/params/x", { headers: { H: "from-header" } });
  assert.is(JSON.parse(headerOnly.body).h, "from-header");
});

headers("invalid UTF-8 in a body reaches $input.body with U+FFFD in place of the bad bytes", async ({ emulator }) => {
  const answer = await emulator.request("/test/hook/1", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: Buffer.from([0x61, 0xff, 0x62]),
  });
  assert.is(Buffer.from(JSON.parse(answer.body).body, "base64").toString("utf8"), "a\uFFFDb");
});

headers.run();

// The function throws an Error whose message is the query parameter m.
const FAIL_TEMPLATE = { "application/json": String.raw`{"message": "$util.escapeJavaScript($input.params('m')).replaceAll("\\'", "'")"}` };
const ERROR_TEXT = { "application/json": "error: $input.path('$.errorMessage')" };

const patterns = withStack("integration response selection", {
  functions: { fail: { files: FAIL }, echo: { files: ECHO } },
  methods: [
    {
      path: "/fail",
      method: "GET",
      function: "fail",
      requestTemplates: FAIL_TEMPLATE,
      responses: [
        { status: "200" },
        { status: "400", pattern: "Bad.*", templates: ERROR_TEXT },
        { status: "401", pattern: "Single.+", templates: ERROR_TEXT },
        { status: "502", pattern: "(.|\\n)*multi(.|\\n)*", templates: ERROR_TEXT },
      ],
    },
    { path: "/ok", method: "GET", function: "echo", requestTemplates: { "application/json": '{"fine": true}' }, responses: [{ status: "200" }, { status: "500", pattern: ".*" }] },
  ],
});

const get = (emulator: Emulator, message: string) => emulator.request(`/test/fail?m=${encodeURIComponent(message)}`);

patterns("a selection pattern must match the whole errorMessage", async ({ emulator }) => {
  const matched = await get(emulator, "Bad input 'x'");
  assert.is(matched.status, 400);
  assert.is(matched.body, "error: Bad input 'x'");
  assert.ok(emulator.log.some((line) => line === "  ! Lambda error Error: Bad input 'x'"), "the error is logged");
});

patterns("an error no pattern matches falls into the default response: 200 with the error JSON", async ({ emulator }) => {
  const answer = await get(emulator, "Not Bad");
  assert.is(answer.status, 200);
  const payload = JSON.parse(answer.body);
  assert.equal([payload.errorType, payload.errorMessage], ["Error", "Not Bad"]);
  assert.ok(Array.isArray(payload.trace), "Lambda's error payload carries the trace");
});

patterns(". does not cross lines as in Java; (.|\\n) does", async ({ emulator }) => {
  assert.is((await get(emulator, "Single\nline")).status, 200, "Single.+ does not match across the newline");
  const multi = await get(emulator, "first\nmulti\nlast");
  assert.is(multi.status, 502);
  assert.is(multi.body, "error: first\nmulti\nlast");
});

patterns("a success is matched as an empty message, so a pattern like .* catches it too", async ({ emulator }) => {
  const answer = await emulator.request("/test/ok");
  assert.is(answer.status, 500);
  assert.equal(JSON.parse(answer.body), { fine: true });
});

patterns.run();

const shaping = withStack("response templates, parameters and overrides", {
  functions: { echo: { files: ECHO } },
  methods: [
    {
      path: "/accept",
      method: "GET",
      function: "echo",
      requestTemplates: { "application/json": "{}" },
      responses: [{ status: "200", templates: { "application/json": '{"t":"json"}', "application/xml": "<t>xml</t>" } }],
    },
    {
      path: "/params",
      method: "GET",
      function: "echo",
      requestTemplates: { "application/json": '{"name": "alice", "nested": {"n": 2}}' },
      responses: [
        {
          status: "200",
          parameters: {
            "method.response.header.X-Static": "'fixed value'",
            "method.response.header.X-Name": "integration.response.body.name",
            "method.response.header.X-Nested": "integration.response.body.nested",
            "method.response.header.Content-Type": "'text/plain'",
          },
          templates: { "application/json": "#set($context.responseOverride.header.Content-Type = 'application/xml')<ok/>" },
        },
      ],
      methodResponses: [
        {
          status: "200",
          parameters: {
            "method.response.header.X-Static": true,
            "method.response.header.X-Name": true,
            "method.response.header.X-Nested": false,
            "method.response.header.Content-Type": true,
          },
        },
      ],
    },
    {
      path: "/undeclared",
      method: "GET",
      function: "echo",
      requestTemplates: { "application/json": "{}" },
      responses: [{ status: "200", parameters: { "method.response.header.X-Other": "'x'" } }],
    },
    {
      path: "/override/{status}",
      method: "GET",
      function: "echo",
      requestTemplates: { "application/json": `{"status": $input.params('status')}` },
      responses: [{ status: "200", templates: { "application/json": "#set($context.responseOverride.status = $input.path('$.status'))status $input.path('$.status')" } }],
      methodResponses: [{ status: "200" }, { status: "201" }],
    },
  ],
});

shaping("the response template is chosen by Accept: absent means application/json, no match means the first", async ({ emulator }) => {
  const cases: [Record<string, string>, string, string][] = [
    [{ Accept: "application/xml" }, "<t>xml</t>", "application/xml"],
    [{}, '{"t":"json"}', "application/json"],
    [{ Accept: "text/html" }, '{"t":"json"}', "application/json"],
    [{ Accept: "text/html, application/xml;q=0.9" }, "<t>xml</t>", "application/xml"],
  ];
  for (const [headers, body, type] of cases) {
    const answer = await emulator.request("/test/accept", { headers });
    assert.is(answer.body, body, JSON.stringify(headers));
    assert.is(answer.headers["content-type"], type, "Content-Type is the chosen template's media type");
  }
});

shaping("response parameters map static values and body fields; responseOverride is applied last", async ({ emulator }) => {
  const answer = await emulator.request("/test/params");
  assert.is(answer.status, 200);
  assert.is(answer.headers["x-static"], "fixed value");
  assert.is(answer.headers["x-name"], "alice");
  assert.is(answer.headers["x-nested"], '{"n":2}');
  assert.is(answer.headers["content-type"], "application/xml", "the override beats the response parameter");
  assert.is(answer.body, "<ok/>");
});

shaping("a response parameter the method response does not declare fails with 500 and says why", async ({ emulator }) => {
  const answer = await emulator.request("/test/undeclared");
  assert.is(answer.status, 500);
  assert.ok(emulator.log.some((line) => line.includes("method.response.header.X-Other is not declared by the method response 200")));
});

shaping("responseOverride.status sets the status, declared by a method response or not (recorded: tests/conformance/lambda-integration.json)", async ({ emulator }) => {
  const created = await emulator.request("/test/override/201");
  assert.equal([created.status, created.body], [201, "status 201"]);
  const undeclared = await emulator.request("/test/override/403");
  assert.equal([undeclared.status, undeclared.body], [403, "status 403"]);
});

shaping.run();

const permissions = withStack("Lambda permissions", {
  functions: { echo: { files: ECHO } },
  methods: [
    { path: "/none", method: "GET", function: "echo", permission: false },
    { path: "/other", method: "GET", function: "echo", permission: "/*/GET/elsewhere" },
    { path: "/wild/{id}", method: "GET", function: "echo", permission: "/test/G?T/wild/*" },
  ],
});

permissions("no permission whose source ARN covers the method: 500 Internal server error and a log line", async ({ emulator }) => {
  for (const path of ["/test/none", "/test/other"]) {
    const answer = await emulator.request(path);
    assert.equal([answer.status, answer.body], [500, '{"message":"Internal server error"}'], path);
  }
  const reasons = emulator.log.filter((line) => line.includes("Invalid permissions on Lambda function fixture-echo"));
  assert.is(reasons.length, 2);
  assert.match(reasons[1], /covering arn:aws:execute-api:ap-northeast-1:123456789012:[a-z]{10}\/test\/GET\/other$/);
});

permissions("source ARNs are matched as ArnLike globs", async ({ emulator }) => {
  assert.is((await emulator.request("/test/wild/5")).status, 200);
});

permissions.run();

const timeouts = withStack("function timeout", {
  functions: { hang: { files: { "index.js": "exports.handler = () => new Promise(() => {});" }, timeout: 1 } },
  methods: [
    { path: "/mapped", method: "GET", function: "hang", responses: [{ status: "200" }, { status: "504", pattern: ".*Task timed out.*", templates: ERROR_TEXT }] },
    { path: "/unmapped", method: "GET", function: "hang" },
  ],
});

timeouts("a timed-out function is a Lambda error that selection patterns see", async ({ emulator }) => {
  const mapped = await emulator.request("/test/mapped");
  assert.is(mapped.status, 504);
  assert.match(mapped.body, /^error: RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
  const unmapped = await emulator.request("/test/unmapped");
  assert.is(unmapped.status, 200, "without a pattern for it, a timeout is a 200 too");
  assert.is(JSON.parse(unmapped.body).errorType, "Sandbox.Timedout");
});

timeouts.run();

const PROXY = {
  "index.js": `exports.handler = async (event) => {
    if (event.queryStringParameters && event.queryStringParameters.fail) throw new Error("boom");
    if (event.queryStringParameters && event.queryStringParameters.bad) return { statusCode: 200, cookies: ["a=1"] };
    return { statusCode: 201, headers: { "Content-Type": "text/plain", "X-A": "1" }, body: JSON.stringify(event) };
  };`,
};

const proxy = withStack("AWS_PROXY integration", {
  functions: { proxy: { files: PROXY } },
  methods: [{ path: "/items/{id}", method: "ANY", function: "proxy", type: "AWS_PROXY" }],
  stageVariables: { v: "1" },
});

proxy("hands the function the payload 1.0 event and maps its answer onto the response", async ({ emulator }) => {
  const answer = await emulator.request("/test/items/5?a=0&a=1", { method: "PUT", headers: { "Content-Type": "application/json" }, body: '{"日本":"😀"}' });
  assert.is(answer.status, 201);
  assert.is(answer.headers["content-type"], "text/plain");
  assert.is(answer.headers["x-a"], "1");
  const event = JSON.parse(answer.body);
  assert.equal(
    [event.resource, event.path, event.httpMethod, event.pathParameters, event.queryStringParameters, event.multiValueQueryStringParameters, event.stageVariables],
    ["/items/{id}", "/items/5", "PUT", { id: "5" }, { a: "1" }, { a: ["0", "1"] }, { v: "1" }],
  );
  assert.equal([event.body, event.isBase64Encoded], ['{"日本":"😀"}', false]);
  assert.equal([event.requestContext.stage, event.requestContext.path, event.requestContext.resourcePath], ["test", "/test/items/5", "/items/{id}"]);
});

proxy("a function error or a malformed answer is a 502", async ({ emulator }) => {
  for (const query of ["fail=1", "bad=1"]) {
    const answer = await emulator.request(`/test/items/5?${query}`);
    assert.equal([answer.status, answer.body], [502, '{"message":"Internal server error"}'], query);
  }
  assert.ok(emulator.log.includes("  ! Execution failed due to configuration error: Malformed Lambda proxy response"));
});

proxy.run();
