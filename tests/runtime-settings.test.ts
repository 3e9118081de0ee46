import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readSettings } from "../runtime/settings";

const settings = suite("readSettings");

settings("reads what infra sets, with safe defaults", () => {
  const none = { appSettings: {}, secretParameters: {}, localSecrets: undefined };
  assert.equal(readSettings({}), { stage: "", route: "", debug: false, verifySignature: true, publicBaseUrl: undefined, tokenParameter: undefined, ...none });
  assert.equal(
    readSettings({ DENWA_STAGE: "prod", DENWA_ROUTE: "voice/hello", DENWA_DEBUG: "true", DENWA_SIGNATURE: "on", DENWA_PUBLIC_BASE_URL: "https://voice.example.jp/", DENWA_TOKEN_PARAMETER: "/denwa/prod/twilio-auth-token" }),
    { stage: "prod", route: "voice/hello", debug: true, verifySignature: true, publicBaseUrl: "https://voice.example.jp", tokenParameter: "/denwa/prod/twilio-auth-token", ...none },
  );
});

settings("only the exact word turns debug on or the signature check off", () => {
  assert.is(readSettings({ DENWA_DEBUG: "1" }).debug, false);
  assert.is(readSettings({ DENWA_DEBUG: "TRUE" }).debug, false);
  assert.is(readSettings({ DENWA_SIGNATURE: "false" }).verifySignature, true);
  assert.is(readSettings({ DENWA_SIGNATURE: "off" }).verifySignature, false);
});

settings("declared settings and secrets; a local run's values count only for declared names", () => {
  const read = readSettings({
    DENWA_SETTINGS: '{"FORWARD_TO":"+815012345678","GREETING":"こんにちは"}',
    DENWA_SECRETS: '{"CRM_API_KEY":"/denwa/dev/secrets/CRM_API_KEY"}',
    DENWA_LOCAL_SETTINGS: '{"FORWARD_TO":"+819011112222","OTHER":"x"}',
    DENWA_LOCAL_SECRETS: '{"CRM_API_KEY":"local-key","UNDECLARED":"y"}',
  });
  assert.equal(read.appSettings, { FORWARD_TO: "+819011112222", GREETING: "こんにちは" }, "OTHER is not declared, so it is not a setting");
  assert.equal(read.secretParameters, { CRM_API_KEY: "/denwa/dev/secrets/CRM_API_KEY" });
  assert.equal(read.localSecrets, { CRM_API_KEY: "local-key" }, "UNDECLARED never reaches the handler");
});

settings("a variable that is not a JSON object of strings is one sentence naming it", () => {
  for (const value of ["{", "[]", '{"A":1}', "null"]) {
    assert.throws(() => readSettings({ DENWA_SETTINGS: value }), (err: Error) => err.message === "DENWA_SETTINGS must be a JSON object of strings, as infra/webhook-function.ts writes it.");
  }
});

settings.run();
