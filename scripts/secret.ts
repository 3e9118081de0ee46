// `make secret`: stores the Twilio auth token as a SecureString in SSM Parameter Store, under the
// stage's parameter name, where the functions read it. It is never printed, written to disk or
// put in Terraform state. ROTATE=1 keeps the previous token valid beside the new one.
// SHARED_KEY=1 stores a SharedKey secret instead (TWILIO_SHARED_KEY, else asked for), as a
// "sharedkey:" entry of the same parameter, for webhooks Twilio signs with HMAC-SHA256. Storing
// one kind keeps what is stored of the other. NAME=CRM_API_KEY stores a secret the stage declares
// (`secrets` in infra/stages.ts) in its own SecureString, /denwa/<stage>/secrets/CRM_API_KEY,
// from the variable of that name, else asked for without echo.
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { parseSecrets, SHARED_KEY_PREFIX, splitTokens } from "../runtime/auth-tokens";
import { UserError } from "../contract";
import { promptSecret, runCommand } from "../contract/cli";
import { secretParameter, type StageName } from "../infra/names";
import { stageSecrets, type StageSettings } from "../infra/stage-config";
import { requireAwsCredentials, ssmClientConfig } from "./aws-credentials";
import { selectedStage } from "./stage";

const AUTH_TOKEN = /^[0-9a-f]{32}$/i;
const SHARED_KEY = /^[^\s,]{16,}$/;

// The pinned SDK supports the Node.js 20 this project requires; its notice about later SDK
// releases would only bury the one line this command prints.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export interface SecretIo {
  env: NodeJS.ProcessEnv;
  print: (line: string) => void;
  prompt: (question: string) => Promise<string>;
  /** The stages' settings; infra/stages.ts unless given. */
  stages?: Record<StageName, StageSettings>;
}

export async function storeSecret(io: SecretIo): Promise<void> {
  const { env, print, prompt } = io;
  const stage = selectedStage(env, io.stages);
  if (env.NAME) return storeDeclaredSecret(io, stage, env.NAME);
  requireAwsCredentials(env);
  const shared = env.SHARED_KEY === "1";
  const what = shared ? "SharedKey secret" : "auth token";
  const value = shared
    ? (env.TWILIO_SHARED_KEY ?? (await prompt(`Twilio SharedKey secret for ${stage.stage}: `))).trim()
    : (env.TWILIO_AUTH_TOKEN ?? (await prompt(`Twilio auth token for ${stage.stage}: `))).trim();
  if (shared && !SHARED_KEY.test(value)) {
    throw new UserError("TWILIO_SHARED_KEY is not a SharedKey secret (at least 16 characters, no spaces or commas, from the Twilio console's Webhook Settings).");
  }
  if (!shared && !AUTH_TOKEN.test(value)) {
    throw new UserError("TWILIO_AUTH_TOKEN is not a Twilio auth token (32 hexadecimal characters, from the Twilio console).");
  }
  const rotate = env.ROTATE === "1";
  const ssm = new SSMClient(ssmClientConfig(env, stage.region));
  try {
    const stored = parseSecrets(await currentEntries(ssm, stage.tokenParameter, rotate));
    const same = shared ? stored.sharedKeys : stored.authTokens;
    const kept = rotate ? same.filter((t) => t !== value).slice(0, 1) : [];
    const tokens = shared ? stored.authTokens : [value, ...kept];
    const sharedKeys = shared ? [value, ...kept] : stored.sharedKeys;
    const { Version } = await ssm.send(
      new PutParameterCommand({
        Name: stage.tokenParameter,
        Value: [...tokens, ...sharedKeys.map((k) => `${SHARED_KEY_PREFIX}${k}`)].join(","),
        Type: "SecureString",
        Overwrite: true,
        Description: `Twilio auth token(s) of denwa ${stage.stage}, newest first`,
      }),
    );
    const also = kept.length ? `; the previous ${what} stays valid until you run make secret again without ROTATE` : "";
    print(`Stored the ${what} of ${stage.stage} in ${stage.tokenParameter} (${stage.region}, SecureString version ${Version})${also}.`);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new Error(`SSM refused to store ${stage.tokenParameter}: ${(err as Error).name}: ${(err as Error).message}`);
  } finally {
    ssm.destroy();
  }
}

/** One secret the stage declares, in a SecureString of its own that the role may read. */
async function storeDeclaredSecret({ env, print, prompt }: SecretIo, stage: ReturnType<typeof selectedStage>, name: string): Promise<void> {
  const declared = stageSecrets(stage);
  if (!declared.includes(name)) {
    const known = declared.length ? `it declares ${declared.join(", ")}` : "it declares none";
    throw new UserError(`The ${stage.stage} stage declares no secret ${name} (${known}): add it to secrets in infra/stages.ts first.`);
  }
  requireAwsCredentials(env);
  const value = (env[name] ?? (await prompt(`${name} for ${stage.stage}: `))).trim();
  if (value === "") throw new UserError(`${name} is empty: set it in the environment or type it when asked.`);
  const parameter = secretParameter(stage.stage, name);
  const ssm = new SSMClient(ssmClientConfig(env, stage.region));
  try {
    const { Version } = await ssm.send(
      new PutParameterCommand({ Name: parameter, Value: value, Type: "SecureString", Overwrite: true, Description: `${name} of denwa ${stage.stage}` }),
    );
    print(`Stored ${name} of ${stage.stage} in ${parameter} (${stage.region}, SecureString version ${Version}); functions read it at their next cold start.`);
  } catch (err) {
    throw new Error(`SSM refused to store ${parameter}: ${(err as Error).name}: ${(err as Error).message}`);
  } finally {
    ssm.destroy();
  }
}

/** The stored entries; none when nothing is stored yet, unless a rotation needs one to keep. */
async function currentEntries(ssm: SSMClient, name: string, rotate: boolean): Promise<string[]> {
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return splitTokens(Parameter?.Value ?? "");
  } catch (err) {
    if ((err as Error).name !== "ParameterNotFound") throw err;
    if (rotate) throw new UserError(`ROTATE=1 needs a token to keep, and ${name} does not exist yet: run make secret without ROTATE first.`);
    return [];
  }
}

const SECRET_USAGE =
  "usage: make secret [STAGE=dev|prod] [ROTATE=1 | SHARED_KEY=1 | NAME=SECRET] (the value from TWILIO_AUTH_TOKEN, TWILIO_SHARED_KEY or the variable NAME names, or asked for)";

if (require.main === module) {
  runCommand({ name: "make secret", usage: SECRET_USAGE, options: {} }, () => storeSecret({ env: process.env, print: (line) => console.log(line), prompt: promptSecret }));
}
