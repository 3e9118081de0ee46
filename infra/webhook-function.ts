// One webhook's Lambda function, deployed from its zip in dist/, with the log group it writes to.
// The group is created first (depends_on) so that Lambda never creates its own, unretained one.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Construct } from "constructs";
import { AssetType, TerraformAsset, type ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { ENV, type BuiltFunction, type BuiltZip } from "../contract";
import { UserError } from "../contract";
import { functionLogGroupName, secretParameter } from "./names";
import { functionSecrets, functionSettings, functionSize, type StageConfig } from "./stage-config";

/** Lambda refuses a function whose environment variables add up to more than 4 KB. */
const LAMBDA_ENVIRONMENT_BYTES = 4096;

export interface WebhookFunctionProps {
  config: StageConfig;
  built: BuiltFunction;
  /** Physical function name, e.g. denwa-dev-voice-hello. */
  name: string;
  roleArn: string;
  /** What must exist before the function runs, such as the role's policy. */
  dependsOn?: ITerraformDependable[];
}

export class WebhookFunction extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly function: LambdaFunction;

  constructor(scope: Construct, id: string, props: WebhookFunctionProps) {
    super(scope, id);
    const { config, built, name } = props;
    // Debug stages run the bundle with its source map, so a stack trace names functions/x.ts:LINE.
    const code = config.debug ? built.sourceMapped : built;
    checkZip(built.route, code);
    const { memoryMb, timeoutSeconds } = functionSize(config, built.route);
    const variables = environment(config, built.route);

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: functionLogGroupName(name),
      retentionInDays: config.logRetentionDays,
    });

    // The zip is copied into cdktf.out/stacks/<stack>/assets/, so `filename` is relative to the
    // stack folder that terraform runs in, on whatever machine the plan is made.
    const zip = new TerraformAsset(this, "zip", { path: code.zip, type: AssetType.FILE });

    this.function = new LambdaFunction(this, "function", {
      functionName: name,
      description: `Twilio webhook /${built.route}`,
      role: props.roleArn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: zip.path,
      sourceCodeHash: code.sha256,
      memorySize: memoryMb,
      timeout: timeoutSeconds,
      environment: { variables },
      dependsOn: [this.logGroup, ...(props.dependsOn ?? [])],
    });
  }
}

/**
 * What the runtime reads (runtime/settings.ts): plain settings as they are, secrets only as the
 * names of the parameters that hold them, so no secret value is ever in the environment or state.
 */
function environment(config: StageConfig, route: string): Record<string, string> {
  const settings = functionSettings(config, route);
  const secrets = functionSecrets(config, route);
  const both = secrets.filter((name) => name in settings);
  if (both.length) throw new UserError(`The ${config.stage} stage declares ${both.join(", ")} for ${route} both as a setting and as a secret: keep one.`);
  const variables: Record<string, string> = {
    [ENV.stage]: config.stage,
    [ENV.route]: route,
    [ENV.debug]: String(config.debug),
    [ENV.signature]: config.signature,
    [ENV.tokenParameter]: config.tokenParameter,
    ...(config.publicBaseUrl === undefined ? {} : { [ENV.publicBaseUrl]: config.publicBaseUrl }),
    ...(config.debug ? { NODE_OPTIONS: "--enable-source-maps" } : {}),
    ...(Object.keys(settings).length ? { [ENV.settings]: JSON.stringify(settings) } : {}),
    ...(secrets.length ? { [ENV.secrets]: JSON.stringify(Object.fromEntries(secrets.map((name) => [name, secretParameter(config.stage, name)]))) } : {}),
  };
  const bytes = Object.entries(variables).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
  if (bytes > LAMBDA_ENVIRONMENT_BYTES) {
    throw new UserError(`The ${config.stage} stage gives ${route} ${bytes} bytes of environment, over Lambda's ${LAMBDA_ENVIRONMENT_BYTES}: move long settings into secrets or shorten them.`);
  }
  return variables;
}

/** The manifest's hash must be the zip's own, or Terraform would miss (or invent) a code change. */
function checkZip(route: string, { zip, sha256 }: BuiltZip): void {
  let bytes: Buffer;
  try {
    bytes = readFileSync(zip);
  } catch {
    throw new UserError(`The zip of ${route} is missing at ${zip}: run \`make build\` first.`);
  }
  if (createHash("sha256").update(bytes).digest("base64") !== sha256) {
    throw new UserError(`The zip of ${route} at ${zip} does not match the sha256 in the manifest: run \`make build\` again.`);
  }
}
