import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readSettings } from "../runtime/settings";

const settings = suite("readSettings");

settings("reads what infra sets, with safe defaults", () => {
  assert.equal(readSettings({}), { stage: "", route: "", debug: false, verifySignature: true, publicBaseUrl: undefined, tokenParameter: undefined });
  assert.equal(
    readSettings({ DENWA_STAGE: "prod", DENWA_ROUTE: "voice/hello", DENWA_DEBUG: "true", DENWA_SIGNATURE: "on", DENWA_PUBLIC_BASE_URL: "https://voice.example.jp/", DENWA_TOKEN_PARAMETER: "/denwa/prod/twilio-auth-token" }),
    { stage: "prod", route: "voice/hello", debug: true, verifySignature: true, publicBaseUrl: "https://voice.example.jp", tokenParameter: "/denwa/prod/twilio-auth-token" },
  );
});

settings("only the exact word turns debug on or the signature check off", () => {
  assert.is(readSettings({ DENWA_DEBUG: "1" }).debug, false);
  assert.is(readSettings({ DENWA_DEBUG: "TRUE" }).debug, false);
  assert.is(readSettings({ DENWA_SIGNATURE: "false" }).verifySignature, true);
  assert.is(readSettings({ DENWA_SIGNATURE: "off" }).verifySignature, false);
});

settings.run();
