// Publishes the API: a deployment (a snapshot of the API, replaced whenever anything that shapes
// it changes) and the stage named after the denwa stage, with throttling and metrics. API Gateway
// refuses both access logs and execution logs in an account and region whose API Gateway settings
// name no CloudWatch role, so both wait for accountCloudWatchRoleArn: a first deploy never fails.
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { Fn, type TerraformResource } from "cdktf";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import type { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { accessLogGroupName } from "./names";
import type { StageConfig } from "./stage-config";

/**
 * One JSON object per request. API Gateway writes access-log variables as they are, unescaped, so
 * only variables that cannot hold a double quote sit inside quotes ("-" when missing). The error
 * message can: $context.error.messageString is API Gateway's own quoted form of it, written bare.
 * The caller's User-Agent and the integration's error text have no quoted form, so they are left
 * out: one `"` in them would break every line's JSON.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  requestTime: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  protocol: "$context.protocol",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationStatus: "$context.integration.status",
  integrationLatency: "$context.integration.latency",
  errorMessage: "$context.error.messageString",
}).replace('"$context.error.messageString"', "$context.error.messageString");

export interface ApiStageProps {
  config: StageConfig;
  restApi: ApiGatewayRestApi;
  /** The API's plain description (WebhookApi.shape): the deployment is redone when it changes. */
  shape: unknown;
  /** The API's resources (WebhookApi.parts): the deployment is redone when one is replaced. */
  parts: TerraformResource[];
  /** The integrations' uris (WebhookApi.integrationUris): the deployment is redone when one changes. */
  integrationUris: string[];
}

export class ApiStage extends Construct {
  readonly deployment: ApiGatewayDeployment;
  readonly stage: ApiGatewayStage;
  readonly methodSettings: ApiGatewayMethodSettings;
  /** JSON access logs; present only when the account's CloudWatch role is stated. */
  readonly accessLogs?: CloudwatchLogGroup;
  /** Execution logs; present only when the account's CloudWatch role is stated. */
  readonly executionLogs?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ApiStageProps) {
    super(scope, id);
    const { config, restApi } = props;

    this.deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: restApi.id,
      description: `denwa ${config.stage}`,
      triggers: {
        configuration: createHash("sha256").update(JSON.stringify(props.shape)).digest("hex"),
        resources: Fn.sha1(Fn.jsonencode(props.parts.map((part) => part.getStringAttribute("id")))),
        integrations: Fn.sha1(Fn.jsonencode(props.integrationUris)),
      },
      // The stage moves to the new snapshot before the old one is deleted: no moment without one.
      lifecycle: { createBeforeDestroy: true },
    });

    const logging = config.accountCloudWatchRoleArn !== undefined;
    if (logging) {
      this.accessLogs = new CloudwatchLogGroup(this, "access-logs", {
        name: accessLogGroupName(config.stage),
        retentionInDays: config.logRetentionDays,
      });
      // API Gateway writes execution logs to this fixed name; created here it gets a retention
      // and goes away with the stack instead of keeping logs forever.
      this.executionLogs = new CloudwatchLogGroup(this, "execution-logs", {
        name: `API-Gateway-Execution-Logs_${restApi.id}/${config.stage}`,
        retentionInDays: config.logRetentionDays,
      });
    }

    this.stage = new ApiGatewayStage(this, "stage", {
      restApiId: restApi.id,
      deploymentId: this.deployment.id,
      stageName: config.stage,
      variables: { voice: config.voice },
      accessLogSettings: this.accessLogs && { destinationArn: this.accessLogs.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: this.executionLogs ? [this.executionLogs] : undefined,
    });

    this.methodSettings = new ApiGatewayMethodSettings(this, "settings", {
      restApiId: restApi.id,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: {
        throttlingRateLimit: config.throttle.rateLimit,
        throttlingBurstLimit: config.throttle.burstLimit,
        metricsEnabled: true,
        // Never the full request and response bodies: they hold callers' numbers and messages.
        dataTraceEnabled: false,
        loggingLevel: logging ? (config.debug ? "INFO" : "ERROR") : "OFF",
      },
    });
  }
}
