// Suite 2: what each Content-Type gets through API Gateway and the runtime, and bodies that are not
// UTF-8 or not valid percent-encoding: a status that names the problem and a sentence, never a 500.
import fc from "fast-check";
import assert from "node:assert/strict";
import type { Rig } from "./rig";
import type { Case } from "./report";
import type { Reply, Send, Served } from "./served";
import { ECHO } from "./stacks";
import { CALL, FORM, HELLO_TWIML, signedGet, signedPost } from "./twilio-client";

const TEXT = "text/plain; charset=utf-8";
const UNSUPPORTED = '{"message":"Unsupported Media Type"}';
const ECHO_PATH = `/dev/${ECHO}`;

/** The function's log line shows it answered with `status` and never ran the handler. */
async function refusedByRuntime(served: Served, reply: Reply, status: number, body: string): Promise<void> {
  assert.equal(reply.status, status);
  assert.equal(reply.headers["content-type"], TEXT);
  assert.equal(reply.body, body);
  const line = served.logFor(reply.requestId);
  assert.equal(line?.status, status, "the runtime logged the refusal");
  assert.equal(line?.handlerRan, undefined, "the handler never ran");
}

/** API Gateway answered itself: no function ran, so no function line names the request. */
async function refusedByGateway(served: Served, reply: Reply): Promise<void> {
  assert.equal(reply.status, 415);
  assert.equal(reply.headers["content-type"], "application/json");
  assert.equal(reply.body, UNSUPPORTED);
  assert.equal(served.logFor(reply.requestId), undefined, "no function was invoked");
}

const unsigned = (contentType: string | undefined, body: string | Buffer, path = ECHO_PATH): Send => ({
  method: "POST",
  path,
  headers: contentType === undefined ? {} : { "Content-Type": contentType },
  body,
});

const badForm = (body: string | Buffer, sentence: string): Case<Rig> => ({
  name: `form body ${JSON.stringify(typeof body === "string" ? body : `bytes ${body.toString("hex")}`)} → 400 "${sentence}"`,
  run: async ({ dev }) => refusedByRuntime(dev, await dev.send(unsigned(`${FORM}; charset=utf-8`, body)), 400, sentence),
});

export const CONTENT_TYPE_CASES: Case<Rig>[] = [
  {
    name: `${FORM}; charset=utf-8, signed → 200 TwiML`,
    run: async ({ dev }) => {
      const reply = await dev.send(signedPost(dev, "/dev/voice/hello", CALL));
      assert.deepEqual([reply.status, reply.headers["content-type"], reply.body], [200, "application/xml", HELLO_TWIML]);
    },
  },
  {
    name: "GET without Content-Type, signed over its query → 200 TwiML",
    run: async ({ dev }) => {
      const reply = await dev.send(signedGet(dev, "/dev/voice/hello", Object.fromEntries(CALL)));
      assert.deepEqual([reply.status, reply.headers["content-type"], reply.body], [200, "application/xml", HELLO_TWIML]);
    },
  },
  {
    name: "application/json POST → the runtime's 415 (API Gateway maps JSON with the form template)",
    run: async ({ dev }) =>
      refusedByRuntime(dev, await dev.send(unsigned("application/json", '{"CallSid":"CA1"}')), 415, `Twilio webhooks post ${FORM}; this request sent application/json.`),
  },
  {
    name: "POST without Content-Type → the runtime's 415 (API Gateway takes it for application/json)",
    run: async ({ dev }) => refusedByRuntime(dev, await dev.send(unsigned(undefined, "CallSid=CA1")), 415, `Twilio webhooks post ${FORM}; this request sent no Content-Type.`),
  },
  ...["text/plain", "application/xml", "multipart/form-data; boundary=denwa"].map(
    (type): Case<Rig> => ({
      name: `${type} → API Gateway's 415, no function invoked`,
      run: async ({ dev }) => refusedByGateway(dev, await dev.send(unsigned(type, "CallSid=CA1"))),
    }),
  ),
  badForm(Buffer.from([0x42, 0x6f, 0x64, 0x79, 0x3d, 0xff, 0xfe]), "The request body is not valid UTF-8."),
  badForm("Body=%FF%FE", "A percent-encoded value is not valid UTF-8."),
  badForm("Body=%E3%81", "A percent-encoded value is not valid UTF-8."),
  badForm("Body=%ZZ", 'The request body has an invalid percent-encoding near "%ZZ".'),
  badForm("Body=100%", 'The request body has an invalid percent-encoding near "%".'),
  badForm("Body=%4", 'The request body has an invalid percent-encoding near "%4".'),
];

/** Any bytes posted as a form: a 400 or 403 sentence from the runtime, never a 500. */
export function arbitraryBodyProperty(served: Served) {
  return fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
    const reply = await served.send(unsigned(FORM, Buffer.from(bytes), `/${served.stage}/${ECHO}`));
    assert.ok(reply.status === 400 || reply.status === 403, `any bytes get 400 or 403, not ${reply.status}: ${reply.body}`);
    assert.equal(reply.headers["content-type"], TEXT);
    assert.match(reply.body, /^[A-Z][^\n]*\.$/, "the answer is one sentence");
  });
}
