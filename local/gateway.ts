// One REST API of a stack, request by request, as API Gateway runs it, one stage per module:
// routing (routing.ts), method request and $context (request-context.ts), the Lambda permission
// (permissions.ts), then the integration type's processor (aws-integration.ts, aws-proxy-integration.ts,
// mock-integration.ts).
import { AwsIntegration } from "./aws-integration";
import { AwsProxyIntegration } from "./aws-proxy-integration";
import { reservedIntegrationHeader } from "./headers";
import type { LambdaRunner } from "./lambda";
import { MockIntegration } from "./mock-integration";
import { Permissions } from "./permissions";
import { gatewayError, INTERNAL_ERROR, type GatewayRequest, type GatewayResponse, type IntegrationProcessor, type Trace } from "./pipeline";
import { newRequestId, requestState } from "./request-context";
import { route } from "./routing";
import type { RestApi, Stack } from "./stack";

export interface Route {
  stage: string;
  method: string;
  /** Resource path, "/voice/hello". */
  path: string;
}

export interface GatewayOptions {
  stack: Stack;
  runner: Pick<LambdaRunner, "invokeJson">;
  /** Terraform name or API name; needed only when the stack holds several REST APIs. */
  api?: string;
}

export class Gateway {
  readonly api: RestApi;
  private readonly processors: Record<string, IntegrationProcessor>;

  constructor(private readonly options: GatewayOptions) {
    this.api = selectApi(options.stack, options.api);
    const permissions = new Permissions(options.stack, this.api);
    const deps = {
      runner: options.runner,
      permittedFunction: permissions.permittedFunction.bind(permissions),
      binaryMediaTypes: this.api.binaryMediaTypes,
    };
    this.processors = { AWS: new AwsIntegration(deps), AWS_PROXY: new AwsProxyIntegration(deps), MOCK: new MockIntegration() };
  }

  routes(): Route[] {
    return this.api.stages.flatMap((stage) =>
      this.api.resources.flatMap((resource) =>
        resource.methods.map((method) => ({ stage: stage.name, method: method.httpMethod, path: resource.path })),
      ),
    );
  }

  async handle(request: GatewayRequest): Promise<GatewayResponse> {
    const trace: Trace = { problems: [] };
    const requestId = newRequestId();
    const matched = route(this.api, request.method, request.url);
    if (!matched) return gatewayError(403, { message: "Missing Authentication Token" }, requestId, trace);
    const { method, resource } = matched;
    trace.route = `${method.httpMethod} ${resource.path}`;
    const state = requestState(request, matched, this.api, this.options.stack.accountId, requestId, trace);
    if (method.authorization !== "NONE") trace.problems.push(`authorization ${method.authorization} is not emulated: the request was let through`);
    const integration = method.integration;
    if (!integration) {
      trace.problems.push(`Execution failed due to configuration error: ${trace.route} has no integration`);
      return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    }
    const reserved = reservedIntegrationHeader(integration.requestParameters);
    if (reserved) {
      trace.problems.push(`Execution failed due to configuration error: ${reserved} maps a header API Gateway reserves`);
      return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    }
    const processor = Object.hasOwn(this.processors, integration.type) ? this.processors[integration.type] : undefined;
    if (!processor) {
      trace.problems.push(`integration type ${integration.type} is not emulated (only MOCK, and AWS and AWS_PROXY to Lambda)`);
      return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    }
    try {
      return await processor.process(state, integration);
    } catch (error) {
      trace.problems.push(`Execution failed: ${(error as Error).message}`);
      return gatewayError(500, INTERNAL_ERROR, requestId, trace);
    }
  }
}

function selectApi(stack: Stack, wanted: string | undefined): RestApi {
  const apis = stack.apis;
  if (apis.length === 0) throw new Error(`The stack in ${stack.dir} has no aws_api_gateway_rest_api to serve.`);
  if (wanted === undefined) {
    if (apis.length === 1) return apis[0];
    throw new Error(`The stack in ${stack.dir} has several REST APIs (${apis.map((a) => a.key).join(", ")}): choose one.`);
  }
  const api = apis.find((a) => a.key === wanted || a.name === wanted);
  if (!api) throw new Error(`The stack in ${stack.dir} has no REST API named ${wanted} (it has ${apis.map((a) => a.key).join(", ")}).`);
  return api;
}
