import { suite } from "uvu";
import * as assert from "uvu/assert";
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { runWebhook, type Webhook } from "../runtime/webhook";
import { gatewayEvent } from "../testkit";
import { testDeps } from "./helpers/events";

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';
const KEY = "crm-key-0123456789";

/** Says the setting and the secret it was asked to read. */
const reads = (setting: string, secret?: string): Webhook => (req) => {
  const twiml = new VoiceResponse();
  twiml.say(`${req.setting(setting)} ${secret ? req.secret(secret).length : "-"}`);
  return twiml;
};

const declared = {
  appSettings: { FORWARD_TO: "+815011112222" },
  secretParameters: { CRM_API_KEY: "/denwa/dev/secrets/CRM_API_KEY" },
};

const reading = suite("req.setting and req.secret");

reading("a handler reads its declared setting and secret", async () => {
  const { deps } = testDeps(declared, undefined, { CRM_API_KEY: KEY });
  const result = await runWebhook(reads("FORWARD_TO", "CRM_API_KEY"), gatewayEvent(), deps);
  assert.is(result.body, `${XML_HEAD}<Response><Say>+815011112222 ${KEY.length}</Say></Response>`);
});

reading("the secrets are not asked for when the function declares none", async () => {
  const { deps } = testDeps({ appSettings: { FORWARD_TO: "+815011112222" } });
  deps.secrets = () => assert.unreachable("no secret is declared, so none is fetched") as never;
  const result = await runWebhook(reads("FORWARD_TO"), gatewayEvent(), deps);
  assert.is(result.statusCode, 200);
});

reading("an undeclared name is a 500 whose debug answer names it and where to declare it", async () => {
  const { deps, log } = testDeps({ ...declared, debug: true }, undefined, { CRM_API_KEY: KEY });
  const result = await runWebhook(reads("FORWARD_TO", "MISSING_KEY"), gatewayEvent(), deps);
  assert.is(result.statusCode, 500);
  assert.match(result.body, /^An application error occurred\.\n\nError: voice\/hello reads the secret MISSING_KEY, which infra\/stages\.ts does not declare for it \(secrets\)\./);
  assert.is(log.lines[0].error, "voice/hello reads the secret MISSING_KEY, which infra/stages.ts does not declare for it (secrets).");
});

reading("a secret that cannot be read is a 500 naming the function and the cause, before the handler runs", async () => {
  const { deps, log } = testDeps(declared);
  deps.secrets = async () => {
    throw new Error("SSM has no parameter /denwa/dev/secrets/CRM_API_KEY: store it with make secret NAME=CRM_API_KEY.");
  };
  const result = await runWebhook(() => assert.unreachable("the handler must not run") as never, gatewayEvent(), deps);
  assert.is(result.statusCode, 500);
  assert.is(result.body, "An application error occurred.", "prod-style answer: no detail");
  assert.is(log.lines[0].error, "The secrets of voice/hello could not be read: SSM has no parameter /denwa/dev/secrets/CRM_API_KEY: store it with make secret NAME=CRM_API_KEY.");
});

reading.run();

const leaks = suite("secrets never leave in a log line or an answer");

leaks("a handler that puts the secret in an error: the log line and the debug answer show [redacted]", async () => {
  const { deps, log } = testDeps({ ...declared, debug: true }, undefined, { CRM_API_KEY: `${KEY}"\\` });
  const leaky: Webhook = (req) => {
    throw new Error(`CRM refused key ${req.secret("CRM_API_KEY")}`);
  };
  const result = await runWebhook(leaky, gatewayEvent(), deps);
  assert.is(result.statusCode, 500);
  assert.not.ok(result.body.includes(KEY), "the debug answer holds no secret");
  assert.match(result.body, /CRM refused key \[redacted\]/);
  assert.not.ok(log.raw.join("").includes(KEY), "no log line holds the secret, even JSON-escaped");
  assert.is(log.lines[0].error, "CRM refused key [redacted]");
});

leaks.run();
