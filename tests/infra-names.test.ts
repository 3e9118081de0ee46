import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UserError } from "../contract";
import { accessLogGroupName, defaultTokenParameter, functionLogGroupName, physicalName, stackName, STAGE_NAMES } from "../infra/names";

const names = suite("names");

names("the stages are dev and prod, each its own stack", () => {
  assert.equal([...STAGE_NAMES], ["dev", "prod"]);
  assert.is(stackName("dev"), "denwa-dev");
  assert.is(stackName("prod"), "denwa-prod");
});

names("physical names join app, stage and function", () => {
  assert.is(physicalName("dev", "voice-hello"), "denwa-dev-voice-hello");
  assert.is(physicalName("prod", "functions"), "denwa-prod-functions");
  assert.is(physicalName("prod"), "denwa-prod");
});

names("log groups and the token parameter are named after the stage", () => {
  assert.is(functionLogGroupName("denwa-dev-voice-hello"), "/aws/lambda/denwa-dev-voice-hello");
  assert.is(accessLogGroupName("prod"), "/aws/apigateway/denwa-prod/access");
  assert.is(defaultTokenParameter("dev"), "/denwa/dev/twilio-auth-token");
});

names("refuses a name AWS would refuse, in one sentence", () => {
  const long = "a".repeat(60);
  assert.throws(() => physicalName("prod", long), (error: unknown) =>
    error instanceof UserError && error.message === `The name denwa-prod-${long} is longer than AWS's 64 characters: shorten the route.`);
  assert.throws(() => physicalName("dev", "voice/hello"), (error: unknown) =>
    error instanceof UserError && error.message === 'The name "denwa-dev-voice/hello" may hold only letters, digits, "-" and "_".');
  assert.is(physicalName("dev", "a".repeat(54)).length, 64, "64 characters is still allowed");
});

names.run();
