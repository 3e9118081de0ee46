import { suite } from "uvu";
import * as assert from "uvu/assert";
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { routeProblem, routeSlug, RUNTIME_STATUSES, TWILIO_WEBHOOK_TIMEOUT_MS } from "../contract";
import { METHOD_STATUSES } from "../infra/webhook-api";
import { runWebhook } from "../runtime/webhook";
import { gatewayEvent } from "../testkit";
import { testDeps } from "./helpers/events";

const routes = suite("routeProblem");

routes("lower-case words, digits and dashes in /-separated segments are routes", () => {
  for (const route of ["voice/hello", "fallback", "sms/reply-2", "a1/b-2/c3"]) {
    assert.is(routeProblem(route), undefined, `${route} is a route`);
  }
});

routes("upper case, underscores, empty segments, edge dashes and braces are refused in one sentence", () => {
  for (const route of ["Voice/hello", "voice/Hello", "voice_hello", "voice//hello", "/voice", "voice/", "-voice", "voice-", "voice/{id}", "", "こんにちは"]) {
    assert.is(
      routeProblem(route),
      `The route ${JSON.stringify(route)} is not lower-case words, digits and dashes separated by "/", such as voice/hello.`,
      `${JSON.stringify(route)} is refused`,
    );
  }
});

const slugs = suite("routeSlug");

slugs("joins the segments with dashes", () => {
  assert.is(routeSlug("voice/hello"), "voice-hello");
  assert.is(routeSlug("call/status/final-2"), "call-status-final-2");
  assert.is(routeSlug("fallback"), "fallback");
});

const statuses = suite("RUNTIME_STATUSES");

statuses("the runtime answers exactly these statuses, and the REST API declares a method response for each", async () => {
  const ok = () => new VoiceResponse();
  const failing = () => {
    throw new Error("boom");
  };
  const answers = await Promise.all([
    runWebhook(ok, gatewayEvent(), testDeps().deps),
    runWebhook(ok, { not: "an event" }, testDeps().deps),
    runWebhook(ok, gatewayEvent({ token: "another-token" }), testDeps().deps),
    runWebhook(ok, gatewayEvent({ headers: { "Content-Type": "application/json" } }), testDeps().deps),
    runWebhook(failing, gatewayEvent(), testDeps().deps),
  ]);
  assert.equal(answers.map((a) => a.statusCode), [...RUNTIME_STATUSES], "success, not an event, bad signature, not a form, handler error");
  assert.equal(METHOD_STATUSES, RUNTIME_STATUSES.map(String));
});

const limits = suite("TWILIO_WEBHOOK_TIMEOUT_MS");

limits("is Twilio's 15-second read timeout", () => {
  assert.is(TWILIO_WEBHOOK_TIMEOUT_MS, 15_000);
});

routes.run();
slugs.run();
statuses.run();
limits.run();
