// One stage's whole deployment: provider and state, the functions' role, a function per built
// webhook, the REST API and its stage, and the URLs a person pastes into the Twilio console.
import { Construct } from "constructs";
import { join, relative, resolve } from "node:path";
import { App, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { routeProblem, type BuiltFunction } from "../contract";
import { AlarmTopic } from "./alarm-topic";
import { ApiStage } from "./api-stage";
import { UserError } from "../contract";
import { CustomDomain } from "./custom-domain";
import { FunctionRole } from "./function-role";
import { APP, functionLogGroupName, physicalName, secretParameter } from "./names";
import { functionSize, stageSecrets, type StageConfig } from "./stage-config";
import { StageAlarms } from "./stage-alarms";
import { readTemplates, type Templates } from "./templates";
import { WebhookApi } from "./webhook-api";
import { WebhookFunction } from "./webhook-function";

const PROJECT_ROOT = join(__dirname, "..");

export interface DenwaStackProps {
  config: StageConfig;
  /** The built functions (readManifest() of contract/webhooks.ts). */
  functions: BuiltFunction[];
  /** The mapping templates; infra/templates/*.vtl unless given. */
  templates?: Templates;
  /** Refuse a stage without remote state, as CI must (DENWA_REMOTE_STATE=required). */
  requireRemoteState?: boolean;
}

export class DenwaStack extends TerraformStack {
  readonly config: StageConfig;
  readonly api: WebhookApi;
  readonly apiStage: ApiStage;
  readonly alarms: StageAlarms;
  /** True when no SNS topic is configured: the alarms exist and notify nobody. */
  readonly alarmsWithoutActions: boolean;
  readonly domain?: CustomDomain;

  constructor(scope: Construct, id: string, props: DenwaStackProps) {
    super(scope, id);
    const { config, functions } = props;
    this.config = config;
    checkFunctions(config, functions);
    if (props.requireRemoteState && !config.remoteState) {
      throw new UserError(`The ${config.stage} stage has no remoteState in infra/stages.ts: CI plans and deploys only from remote state, as its runners keep no files.`);
    }

    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags: { ...config.tags, app: APP, stage: config.stage } }],
    });
    if (config.remoteState) {
      const backend = new S3Backend(this, { ...config.remoteState, encrypt: true });
      // Terraform's own S3 lock file (1.10+); cdktf 0.21 has no typed field for it yet.
      backend.addOverride("use_lockfile", true);
    } else {
      // cdktf's default local state path is absolute on the machine that synthesized; relative to
      // the stack folder that terraform runs in, it stays at the project root wherever that is.
      const stackDir = resolve(App.of(this).outdir, "stacks", id);
      new LocalBackend(this, { path: relative(stackDir, join(PROJECT_ROOT, `terraform.${id}.tfstate`)) });
    }

    const names = new Map(functions.map((built) => [built.route, physicalName(config.stage, built.slug)]));
    const role = new FunctionRole(this, "role", {
      name: physicalName(config.stage, "functions"),
      region: config.region,
      logGroupNames: [...names.values()].map(functionLogGroupName),
      tokenParameter: config.tokenParameter,
      secretParameters: stageSecrets(config).map((name) => secretParameter(config.stage, name)),
    });

    const webhooks = functions.map(
      (built) =>
        new WebhookFunction(this, `webhook-${built.slug}`, {
          config,
          built,
          name: names.get(built.route)!,
          roleArn: role.role.arn,
          dependsOn: [role.policy],
        }),
    );

    this.api = new WebhookApi(this, "api", {
      name: physicalName(config.stage),
      routes: webhooks.map((webhook, index) => ({ route: functions[index].route, function: webhook.function })),
      templates: props.templates ?? readTemplates(),
      debug: config.debug,
    });
    this.apiStage = new ApiStage(this, "stage", {
      config,
      restApi: this.api.restApi,
      shape: this.api.shape,
      parts: this.api.parts,
      integrationUris: this.api.integrationUris,
    });

    const topic = config.alarms.topic && new AlarmTopic(this, "alarm-topic", { name: physicalName(config.stage, "alarms"), topic: config.alarms.topic });
    this.alarmsWithoutActions = topic === undefined;
    this.alarms = new StageAlarms(this, "alarms", {
      stage: config.stage,
      alarms: config.alarms,
      apiName: physicalName(config.stage),
      stageName: config.stage,
      topicArn: topic?.arn,
      functions: webhooks.map((webhook, index) => ({
        function: webhook.function,
        logGroup: webhook.logGroup,
        name: names.get(functions[index].route)!,
        timeoutSeconds: functionSize(config, functions[index].route).timeoutSeconds,
      })),
    });

    if (config.domain) {
      this.domain = new CustomDomain(this, "domain", {
        domain: config.domain,
        restApiId: this.api.restApi.id,
        stageName: this.apiStage.stage.stageName,
      });
      new TerraformOutput(this, "domain_target", {
        value: { name: this.domain.domainName.regionalDomainName, zone_id: this.domain.domainName.regionalZoneId },
        description: "Where the custom domain must point (CNAME, or a Route 53 alias): API Gateway's regional domain name.",
      }).overrideLogicalId("domain_target");
      new TerraformOutput(this, "domain_validation_record", {
        value: this.domain.validationRecord,
        description: "The DNS record ACM needs to issue the certificate; written by the stack when a hostedZoneId is given.",
      }).overrideLogicalId("domain_validation_record");
    }

    const invokeUrl = this.apiStage.stage.invokeUrl;
    const base = config.publicBaseUrl ?? invokeUrl;
    new TerraformOutput(this, "invoke_url", {
      value: invokeUrl,
      description: "The stage's execute-api URL.",
    }).overrideLogicalId("invoke_url");
    new TerraformOutput(this, "webhook_urls", {
      value: Object.fromEntries(functions.map(({ route }) => [route, `${base}/${route}`])),
      description: "Each webhook's full URL, as pasted into the Twilio console.",
    }).overrideLogicalId("webhook_urls");
  }
}

/** What the manifest lists must make one function per distinct route, and overrides name real ones. */
function checkFunctions(config: StageConfig, functions: BuiltFunction[]): void {
  if (functions.length === 0) {
    throw new UserError("The build lists no functions: add a webhook under functions/ and run `make build`.");
  }
  const slugs = new Map<string, string>();
  for (const { route, slug } of functions) {
    const problem = routeProblem(route);
    if (problem) throw new UserError(problem);
    const other = slugs.get(slug);
    if (other !== undefined) {
      throw new UserError(`The routes ${other} and ${route} would share the function name ${physicalName(config.stage, slug)}.`);
    }
    slugs.set(slug, route);
  }
  for (const route of Object.keys(config.functions)) {
    if (![...slugs.values()].includes(route)) {
      throw new UserError(`The ${config.stage} stage configures the function ${route}, which the build does not list.`);
    }
  }
}
