// `make secret`: stores the Twilio auth token as a SecureString in SSM Parameter Store, under the
// stage's parameter name, where the functions read it. It is never printed, written to disk or
// put in Terraform state. ROTATE=1 keeps the previous token valid beside the new one.
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { splitTokens } from "../runtime/auth-tokens";
import { Refusal, promptSecret, runCli } from "./cli";
import { requireAwsCredentials } from "./aws-credentials";
import { selectedStage } from "./stage";

const AUTH_TOKEN = /^[0-9a-f]{32}$/i;

// The pinned SDK supports the Node.js 20 this project requires; its notice about later SDK
// releases would only bury the one line this command prints.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export interface SecretIo {
  env: NodeJS.ProcessEnv;
  print: (line: string) => void;
  prompt: (question: string) => Promise<string>;
}

export async function storeSecret({ env, print, prompt }: SecretIo): Promise<void> {
  const stage = selectedStage(env);
  requireAwsCredentials(env);
  const token = (env.TWILIO_AUTH_TOKEN ?? (await prompt(`Twilio auth token for ${stage.stage}: `))).trim();
  if (!AUTH_TOKEN.test(token)) {
    throw new Refusal("TWILIO_AUTH_TOKEN is not a Twilio auth token (32 hexadecimal characters, from the Twilio console).");
  }
  const rotate = env.ROTATE === "1";
  const ssm = new SSMClient({ region: stage.region });
  try {
    const kept = rotate ? (await currentTokens(ssm, stage.tokenParameter)).filter((t) => t !== token).slice(0, 1) : [];
    const { Version } = await ssm.send(
      new PutParameterCommand({
        Name: stage.tokenParameter,
        Value: [token, ...kept].join(","),
        Type: "SecureString",
        Overwrite: true,
        Description: `Twilio auth token(s) of denwa ${stage.stage}, newest first`,
      }),
    );
    const also = kept.length ? "; the previous token stays valid until you run make secret again without ROTATE" : "";
    print(`Stored the auth token of ${stage.stage} in ${stage.tokenParameter} (${stage.region}, SecureString version ${Version})${also}.`);
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new Error(`SSM refused to store ${stage.tokenParameter}: ${(err as Error).name}: ${(err as Error).message}`);
  } finally {
    ssm.destroy();
  }
}

async function currentTokens(ssm: SSMClient, name: string): Promise<string[]> {
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return splitTokens(Parameter?.Value ?? "");
  } catch (err) {
    if ((err as Error).name === "ParameterNotFound") throw new Refusal(`ROTATE=1 needs a token to keep, and ${name} does not exist yet: run make secret without ROTATE first.`);
    throw err;
  }
}

if (require.main === module) {
  runCli("make secret", () => storeSecret({ env: process.env, print: (line) => console.log(line), prompt: promptSecret }));
}
