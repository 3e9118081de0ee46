// The recorded conformance suite: cases whose answer was recorded on real AWS (tests/conformance/*.json,
// each with its source), run through the emulator and compared. The Lambda side of each case is what
// the recorded function returned, played by a fake runner, so what is compared is API Gateway's part.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Gateway } from "../local/gateway";
import type { InvokeResult, LambdaError } from "../local/lambda";
import type { GatewayRequest } from "../local/pipeline";
import { loadStack } from "../local/stack";
import { renderTemplate, type TemplateInput } from "../local/vtl";
import { ECHO, writeStack, type FixtureMethod } from "./helpers/local-stack";

const DIR = join(__dirname, "conformance");
/** Matches any value that is present (a recording's value that differs per run: ids, times, addresses). */
const PRESENT = "<present>";
/** Matches only a missing key. */
const ABSENT = "<absent>";

/** What the recorded function did with the event. */
type LambdaBehaviour =
  | { returns: unknown }
  | { throws: LambdaError & Record<string, unknown> }
  /** Returns the parsed event body (LocalStack's LAMBDA_RESPONSE_FROM_BODY). */
  | { echo: "body" }
  /** Returns {statusCode: 200, body: the event as JSON} (LocalStack's lambda_aws_proxy.py). */
  | { echo: "event-in-proxy-body" }
  /** Returns the event (a non-proxy echo). */
  | { echo: "event" };

interface Expectation {
  status?: number;
  /** Headers the answer must carry, names spelled as recorded. */
  headers?: Record<string, string>;
  /** Headers whose value must match a regular expression (recordings with a generated part). */
  headersMatching?: Record<string, string>;
  /** Headers the answer must not carry, in any case. */
  absentHeaders?: string[];
  body?: string;
  json?: unknown;
  /** A partial match against the event the function received ("<present>": any value). */
  event?: unknown;
  /** Rendered template output (template cases). */
  output?: string;
}

interface Case {
  /** The recording's name (snapshot key, or the guide's example). */
  name: string;
  /** Overrides the file's source for this case. */
  source?: string;
  request?: { method?: string; path: string; headers?: Record<string, string>; body?: string };
  lambda?: LambdaBehaviour;
  /** Template cases: templates applied in turn, each one's output the next one's body. */
  templates?: string[];
  input?: Partial<TemplateInput>;
  expect: Expectation;
}

interface CaseFile {
  /** Repository, path and test name, or the URL, of the recordings. */
  source: string;
  /** The recorded API's methods; every one calls the function "fn". */
  methods?: (Omit<FixtureMethod, "function"> & { integration?: Record<string, unknown> })[];
  stageName?: string;
  cases: Case[];
}

class FakeRunner {
  behaviour: LambdaBehaviour = { echo: "event" };
  lastEvent: unknown;

  async invokeJson(_fn: unknown, eventText: string): Promise<InvokeResult> {
    const event = JSON.parse(eventText) as Record<string, unknown>;
    this.lastEvent = event;
    const b = this.behaviour;
    if ("throws" in b) return { ok: false, error: b.throws };
    if ("returns" in b) return { ok: true, payload: JSON.stringify(b.returns) };
    if (b.echo === "event") return { ok: true, payload: eventText };
    if (b.echo === "event-in-proxy-body") return { ok: true, payload: JSON.stringify({ statusCode: 200, body: eventText, isBase64Encoded: false }) };
    const body = String(event.body ?? "");
    return { ok: true, payload: event.isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body };
  }
}

/** Where `actual` differs from the partial `expected`: one line per difference. */
function differences(expected: unknown, actual: unknown, at = "$"): string[] {
  if (expected === PRESENT) return actual === undefined ? [`${at}: missing`] : [];
  if (expected === ABSENT) return actual === undefined ? [] : [`${at}: expected none, got ${JSON.stringify(actual)}`];
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) => differences(v, (actual as Record<string, unknown>)[k], `${at}.${k}`));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
    return expected.flatMap((v, i) => differences(v, actual[i], `${at}[${i}]`));
  }
  return expected === actual ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function templateDifferences(c: Case): string[] {
  const input: TemplateInput = {
    body: "",
    params: { path: {}, querystring: {}, header: {} },
    context: {},
    stageVariables: {},
    ...c.input,
  };
  let output = input.body;
  for (const template of c.templates ?? []) output = renderTemplate(template, { ...input, body: output }).output;
  if (c.expect.json === undefined) return differences(c.expect.output, output, "output");
  try {
    return differences(c.expect.json, JSON.parse(output), "json");
  } catch {
    return [`json: expected JSON, got ${JSON.stringify(output)}`];
  }
}

async function httpDifferences(gateway: Gateway, runner: FakeRunner, c: Case): Promise<string[]> {
  const request = c.request!;
  runner.behaviour = c.lambda ?? { echo: "event" };
  runner.lastEvent = undefined;
  const headers = { Host: "abc123.execute-api.us-east-1.amazonaws.com", ...request.headers };
  const gatewayRequest: GatewayRequest = {
    method: request.method ?? "GET",
    url: request.path,
    rawHeaders: Object.entries(headers).flat(),
    body: Buffer.from(request.body ?? "", "utf8"),
    sourceIp: "192.0.2.1",
    localPort: 443,
  };
  const answer = await gateway.handle(gatewayRequest);
  const body = answer.body.toString("utf8");
  const { expect } = c;
  const found: string[] = [];
  if (expect.status !== undefined && answer.status !== expect.status) found.push(`status: expected ${expect.status}, got ${answer.status} (${answer.trace.problems.join("; ")})`);
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    if (value === PRESENT ? answer.headers[name] === undefined : answer.headers[name] !== value) {
      found.push(`header ${name}: expected ${JSON.stringify(value)}, got ${JSON.stringify(answer.headers[name])} (headers ${JSON.stringify(answer.headers)})`);
    }
  }
  for (const [name, pattern] of Object.entries(expect.headersMatching ?? {})) {
    if (!new RegExp(pattern).test(answer.headers[name] ?? "")) found.push(`header ${name}: expected /${pattern}/, got ${JSON.stringify(answer.headers[name])}`);
  }
  const names = Object.keys(answer.headers).map((n) => n.toLowerCase());
  for (const name of expect.absentHeaders ?? []) if (names.includes(name.toLowerCase())) found.push(`header ${name}: expected none, got one`);
  if (expect.body !== undefined && body !== expect.body) found.push(`body: expected ${JSON.stringify(expect.body)}, got ${JSON.stringify(body)}`);
  if (expect.json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = `not JSON: ${body}`;
    }
    found.push(...differences(expect.json, parsed, "json"));
  }
  if (expect.event !== undefined) found.push(...differences(expect.event, runner.lastEvent, "event"));
  return found;
}

/** The fixture's stage is "test": recordings name theirs, and it shows in paths. Integrations take extra settings. */
function adjustStack(file: string, data: CaseFile): void {
  const document = JSON.parse(readFileSync(file, "utf8"));
  if (data.stageName) document.resource.aws_api_gateway_stage.stage.stage_name = data.stageName;
  data.methods!.forEach((m, i) => Object.assign(document.resource.aws_api_gateway_integration[`m${i}`], m.integration));
  writeFileSync(file, JSON.stringify(document));
}

const files = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
const tally = { cases: 0, matched: 0 };

for (const file of files) {
  const data = JSON.parse(readFileSync(join(DIR, file), "utf8")) as CaseFile;
  const test = suite<{ gateway?: Gateway; runner: FakeRunner; dir?: string }>(`recorded: ${file}`, { runner: new FakeRunner() });
  test.before((context) => {
    if (!data.methods) return;
    context.dir = writeStack({ functions: { fn: { files: ECHO } }, methods: data.methods.map((m) => ({ ...m, function: "fn" })) });
    adjustStack(join(context.dir, "cdk.tf.json"), data);
    context.gateway = new Gateway({ stack: loadStack(context.dir), runner: context.runner });
  });
  test.after((context) => {
    if (context.dir) rmSync(context.dir, { recursive: true, force: true });
  });
  for (const c of data.cases) {
    test(c.name, async (context) => {
      tally.cases++;
      const found = c.templates ? templateDifferences(c) : await httpDifferences(context.gateway!, context.runner, c);
      if (found.length === 0) tally.matched++;
      assert.equal(found, [], `the emulator answers as AWS was recorded answering (${c.source ?? data.source})`);
    });
  }
  test.run();
}

const summary = suite("recorded: summary");
summary("every recorded case matched", () => {
  console.log(`recorded cases: ${tally.matched} of ${tally.cases} match`);
  assert.ok(tally.cases >= 75, "the suite holds at least the 75 cases first measured");
  assert.is(tally.matched, tally.cases, `${tally.cases - tally.matched} recorded cases differ`);
});
summary.run();
