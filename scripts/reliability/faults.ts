// Suite 3: a handler that throws, one that outlives its timeout, one that returns text that is not
// TwiML, the token store unreachable or slow, and events that are not a request: each gives its
// documented status, exactly one log line naming the cause, and no stack unless debug is on.
import fc from "fast-check";
import { Writable } from "node:stream";
import assert from "node:assert/strict";
import type { StageName } from "../../infra/names";
import { LambdaRunner } from "../../local/lambda";
import { loadStack } from "../../local/stack";
import { REGION } from "../../local/ssm-stand-in";
import { FAILURE } from "./functions/test/throws";
import type { Rig } from "./rig";
import type { Case } from "./report";
import { serve, type Reply, type Served } from "./served";
import { NOT_TWIML, SLEEPS, SLEEPS_TIMEOUT_SECONDS, THROWS } from "./stacks";
import { CALL, HELLO_TWIML, TOKEN, signedPost } from "./twilio-client";
import { startTokenStore } from "./token-store";

const TEXT = "text/plain; charset=utf-8";
const GENERIC = "An application error occurred.";
const NOT_TWIML_ERROR = "The handler returned something that is not TwiML (no <Response> element).";
const NOT_AN_EVENT = "The event is not a denwa request: invoke the function through its API Gateway route.";
/** A V8 stack frame, as err.stack prints it. */
export const STACK_FRAME = /\n\s+at \S/;
/** The runtime's SSM timeout in these functions (DENWA_SSM_TIMEOUT_MS; 3000 ms by default). */
const SSM_TIMEOUT_MS = 200;

/**
 * Sends one request and returns the answer with every log line it caused, on both sides. No wait
 * is needed: a call's output reaches the emulator before its answer (local/lambda.ts).
 */
async function traced(served: Served, send: () => Promise<Reply>) {
  const before = served.gatewayLines.length;
  const reply = await send();
  const functionLines = served.functionLines().filter((l) => l.includes(reply.requestId));
  const problems = served.gatewayLines.slice(before).filter((l) => l.startsWith("  !"));
  return { reply, lines: [...functionLines, ...problems], functionLines, problems };
}

/** Exactly one function line, an error naming `cause`, and nothing from the emulator. */
function oneFunctionLine(trace: Awaited<ReturnType<typeof traced>>, cause: string, stage: StageName, route: string) {
  assert.equal(trace.lines.length, 1, `one log line, not: ${trace.lines.join(" | ")}`);
  const line = JSON.parse(trace.functionLines[0]) as Record<string, unknown>;
  assert.deepEqual([line.level, line.stage, line.route, line.status, line.error], ["error", stage, route, 500, cause]);
  assert.doesNotMatch(trace.lines[0], STACK_FRAME, "no stack in the log line");
}

function genericAnswer(reply: Reply) {
  assert.deepEqual([reply.status, reply.headers["content-type"], reply.body], [500, TEXT, GENERIC], "prod: the generic 500 and nothing internal");
}

const post = (served: Served, route: string) => () => served.send(signedPost(served, `/${served.stage}/${route}`, CALL));

/** Calls the webhook that never answers and moves the served clock past its function timeout. */
const pastTimeout = (served: Served) => async () => {
  const reply = post(served, SLEEPS)();
  await served.clock.scheduled(SLEEPS_TIMEOUT_SECONDS * 1000);
  served.clock.advance(SLEEPS_TIMEOUT_SECONDS * 1000);
  return reply;
};

export const FAULT_CASES: Case<Rig>[] = [
  {
    name: "a handler that throws, prod → 500 generic, one error line naming the message",
    run: async ({ prod }) => {
      const trace = await traced(prod, post(prod, THROWS));
      genericAnswer(trace.reply);
      oneFunctionLine(trace, FAILURE, "prod", THROWS);
      assert.equal(JSON.parse(trace.functionLines[0]).errorType, "Error");
    },
  },
  {
    name: "a handler that throws, dev (debug on) → 500 showing the message",
    run: async ({ dev }) => {
      const trace = await traced(dev, post(dev, THROWS));
      assert.deepEqual([trace.reply.status, trace.reply.headers["content-type"]], [500, TEXT]);
      assert.ok(trace.reply.body.startsWith(`${GENERIC}\n\nError: ${FAILURE}\n`), `debug shows the error: ${trace.reply.body}`);
      oneFunctionLine(trace, FAILURE, "dev", THROWS);
    },
  },
  {
    name: `a handler past its ${SLEEPS_TIMEOUT_SECONDS} s timeout, prod → 500 from error.vtl, one Lambda timeout line`,
    run: async ({ prod }) => {
      const trace = await traced(prod, pastTimeout(prod));
      genericAnswer(trace.reply);
      assert.equal(trace.functionLines.length, 0, "the function was stopped before it could log");
      assert.equal(trace.problems.length, 1, `one line: ${trace.problems.join(" | ")}`);
      assert.match(trace.problems[0], new RegExp(`Sandbox\\.Timedout: RequestId: [0-9a-f-]+ Error: Task timed out after ${SLEEPS_TIMEOUT_SECONDS}\\.00 seconds$`));
    },
  },
  {
    name: "a handler past its timeout, dev → 500 from error-debug.vtl naming the timeout",
    run: async ({ dev }) => {
      const trace = await traced(dev, pastTimeout(dev));
      assert.deepEqual([trace.reply.status, trace.reply.headers["content-type"]], [500, TEXT]);
      assert.match(trace.reply.body, new RegExp(`^An application error occurred: RequestId: [0-9a-f-]+ Error: Task timed out after ${SLEEPS_TIMEOUT_SECONDS}\\.00 seconds$`));
      assert.equal(trace.lines.length, 1);
    },
  },
  {
    name: "a handler returning text that is not TwiML, prod → 500 generic, one line naming it",
    run: async ({ prod }) => {
      const trace = await traced(prod, post(prod, NOT_TWIML));
      genericAnswer(trace.reply);
      oneFunctionLine(trace, NOT_TWIML_ERROR, "prod", NOT_TWIML);
    },
  },
  {
    name: "a handler returning text that is not TwiML, dev → 500 showing why",
    run: async ({ dev }) => {
      const trace = await traced(dev, post(dev, NOT_TWIML));
      assert.ok(trace.reply.body.startsWith(`${GENERIC}\n\nError: ${NOT_TWIML_ERROR}\n`), trace.reply.body);
      oneFunctionLine(trace, NOT_TWIML_ERROR, "dev", NOT_TWIML);
    },
  },
  {
    name: "token store unreachable, then slower than the runtime's SSM timeout, then back → 500, 500, 200 without a restart",
    run: async ({ stacks }) => {
      const store = await startTokenStore();
      store.standIn.parameters.set("/denwa/prod/twilio-auth-token", { value: TOKEN, type: "SecureString", version: 1 });
      const served = await serve(stacks.dirs.prod, "prod", { ...store.env, DENWA_SSM_TIMEOUT_MS: String(SSM_TIMEOUT_MS) });
      let answer = () => {};
      try {
        await store.down();
        const refused = await traced(served, post(served, "voice/hello"));
        genericAnswer(refused.reply);
        oneFunctionLine(refused, `The auth token could not be read: connect ECONNREFUSED ${store.endpoint.replace("http://", "")}`, "prod", "voice/hello");

        await store.up();
        store.standIn.hold = new Promise((resolve) => (answer = resolve));
        const slow = await traced(served, post(served, "voice/hello"));
        genericAnswer(slow.reply);
        oneFunctionLine(slow, `The auth token could not be read: SSM did not answer within ${SSM_TIMEOUT_MS} ms.`, "prod", "voice/hello");

        answer();
        store.standIn.hold = undefined;
        const recovered = await traced(served, post(served, "voice/hello"));
        assert.deepEqual([recovered.reply.status, recovered.reply.body], [200, HELLO_TWIML], "the next request after the store is back succeeds");
        assert.equal(recovered.lines.length, 1);
        assert.equal(JSON.parse(recovered.lines[0]).status, 200);
        assert.ok(store.standIn.requests.every((r) => r.signatureOk), "every GetParameter was signed correctly");
      } finally {
        answer();
        await served.close();
        await store.close();
      }
    },
  },
];

/** Lambda invoked directly (as a misrouted trigger would) with events that are not a request. */
export interface DirectInvoke {
  invoke(event: unknown): Promise<{ result: Record<string, unknown>; lines: string[] }>;
  close(): Promise<void>;
}

export async function directInvoke(stackDir: string, route: string): Promise<DirectInvoke> {
  const stack = loadStack(stackDir);
  const fn = stack.functions.find((f) => f.environment.DENWA_ROUTE === route);
  if (!fn) throw new Error(`The stack in ${stackDir} has no function for ${route}.`);
  let output = "";
  const runner = new LambdaRunner({
    region: REGION,
    env: { TWILIO_AUTH_TOKEN: TOKEN },
    output: new Writable({ write: (chunk: Buffer, _e, done) => void ((output += chunk.toString("utf8")), done()) }),
  });
  return {
    invoke: async (event) => {
      const before = output.length;
      const answer = await runner.invoke(fn, event);
      assert.ok(answer.ok, `the function answers instead of failing: ${JSON.stringify(answer)}`);
      return { result: JSON.parse(answer.payload), lines: output.slice(before).split("\n").filter((l) => l !== "") };
    },
    close: () => runner.close(),
  };
}

export async function expectNotAnEvent(direct: DirectInvoke, event: unknown): Promise<void> {
  const { result, lines } = await direct.invoke(event);
  assert.deepEqual(result, { statusCode: 400, contentType: TEXT, body: NOT_AN_EVENT }, `400 for ${JSON.stringify(event)?.slice(0, 100)}`);
  assert.equal(lines.length, 1, `one log line: ${lines.join(" | ")}`);
  const line = JSON.parse(lines[0]);
  assert.deepEqual([line.level, line.status, line.error], ["warn", 400, NOT_AN_EVENT]);
}

export const MALFORMED_EVENTS: unknown[] = [
  null,
  0,
  "POST /voice/hello",
  [],
  {},
  { method: "POST", body: "" },
  { method: "POST", stage: "prod", domainName: "x", path: "/prod/voice/hello", resourcePath: "/voice/hello", requestId: "r", body: "", headers: null, query: {}, stageVariables: {} },
  { method: "POST", stage: "prod", domainName: "x", path: "/prod/voice/hello", resourcePath: "/voice/hello", requestId: 7, body: "", headers: {}, query: {}, stageVariables: {} },
];

/** Any JSON event that is not the request template's shape gets the 400, never a crash. */
export function malformedEventProperty(direct: DirectInvoke) {
  return fc.asyncProperty(fc.jsonValue(), (event) => expectNotAnEvent(direct, event));
}
