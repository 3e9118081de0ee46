// Every physical name in AWS comes from here, so that two stages never collide and a name
// always says which app, stage and function a resource belongs to.
import { UserError } from "../contract";

export const APP = "denwa";

export const STAGE_NAMES = ["dev", "prod"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** Lambda function and IAM role names stop at 64 characters. */
const MAX_NAME_LENGTH = 64;

/** The Terraform stack (and cdktf.out/stacks folder) of a stage: "denwa-dev". */
export function stackName(stage: StageName): string {
  return `${APP}-${stage}`;
}

/** "denwa-dev-voice-hello" for (dev, "voice-hello"); "denwa-dev" with no parts. */
export function physicalName(stage: StageName, ...parts: string[]): string {
  const name = [APP, stage, ...parts].join("-");
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new UserError(`The name ${JSON.stringify(name)} may hold only letters, digits, "-" and "_".`);
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new UserError(`The name ${name} is longer than AWS's ${MAX_NAME_LENGTH} characters: shorten the route.`);
  }
  return name;
}

/** The log group Lambda writes to by default, created by the stack so that it has a retention. */
export function functionLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** The stage's API Gateway access log group. */
export function accessLogGroupName(stage: StageName): string {
  return `/aws/apigateway/${physicalName(stage)}/access`;
}

/** The SecureString that holds the stage's Twilio auth token(s) unless the config names another. */
export function defaultTokenParameter(stage: StageName): string {
  return `/${APP}/${stage}/twilio-auth-token`;
}

/** The SecureString that holds one declared secret of the stage: /denwa/dev/secrets/CRM_API_KEY. */
export function secretParameter(stage: StageName, name: string): string {
  return `/${APP}/${stage}/secrets/${name}`;
}
