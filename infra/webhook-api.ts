// The regional REST API in front of the functions: a resource per path segment, GET and POST on
// every webhook (Twilio posts by default, and GET must keep working), each a non-proxy "AWS"
// integration whose mapping templates produce the runtime's event contract and turn its
// WebhookResult back into a raw TwiML response. No authorizer: the signature check is the gate.
import { Construct } from "constructs";
import type { TerraformResource } from "cdktf";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { RUNTIME_STATUSES } from "../contract";
import { terraformLiteral, type Templates } from "./templates";

export const METHODS = ["GET", "POST"] as const;

/**
 * A method response for every status the runtime answers with: 200 by default, the others
 * through responseOverride in response.vtl; API Gateway drops a status with no method response.
 */
export const METHOD_STATUSES = RUNTIME_STATUSES.map(String);

/**
 * Selects the integration response for any Lambda error: API Gateway matches this Java regex
 * against the whole errorMessage, and [\s\S] (unlike ".") also crosses the newlines of a
 * multi-line message, without the deep backtracking of (.|\n)+ on a long one.
 */
export const LAMBDA_ERROR_PATTERN = "[\\s\\S]+";

const CONTENT_TYPE = "method.response.header.Content-Type";

export interface WebhookApiRoute {
  /** "voice/hello", served at /voice/hello. */
  route: string;
  function: LambdaFunction;
}

export interface WebhookApiProps {
  /** Physical name of the REST API. */
  name: string;
  routes: WebhookApiRoute[];
  templates: Templates;
  /** Debug stages answer a Lambda error with its message (error-debug.vtl). */
  debug: boolean;
}

export class WebhookApi extends Construct {
  readonly restApi: ApiGatewayRestApi;
  /**
   * Everything this construct writes into the API, as plain values (no Terraform references):
   * a change here is a change the stage must be redeployed for.
   */
  readonly shape: unknown;
  /** Every resource, method, integration and response of the API, for the deployment triggers. */
  readonly parts: TerraformResource[] = [];
  /**
   * Every integration's uri (the function's invoke ARN): a function renamed or replaced under the
   * same route updates its integration in place, keeping the integration's id, so the deployment
   * triggers must hash the uris too or the stage would keep calling the old function.
   */
  readonly integrationUris: string[] = [];

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    const request = terraformLiteral(props.templates.request);
    const response = terraformLiteral(props.templates.response);
    const error = terraformLiteral(props.debug ? props.templates.errorDebug : props.templates.error);

    const endpointConfiguration = { types: ["REGIONAL"] };
    this.restApi = new ApiGatewayRestApi(this, "api", {
      name: props.name,
      description: "Twilio voice and SMS webhooks",
      endpointConfiguration,
    });
    const restApiId = this.restApi.id;

    // The integration and its responses are the same on every method: declared once as plain
    // values, spread into each resource below and hashed as they are into `shape`.
    const integration = {
      type: "AWS",
      integrationHttpMethod: "POST",
      passthroughBehavior: "NEVER",
      requestTemplates: {
        "application/x-www-form-urlencoded": request,
        // What API Gateway uses for a request without a Content-Type, such as a plain GET.
        "application/json": request,
      },
    };
    const methodConfig = { authorization: "NONE" };
    const methodResponse = { responseParameters: { [CONTENT_TYPE]: true } };
    const successResponse = {
      statusCode: "200" as const,
      responseTemplates: { "application/xml": response },
      responseParameters: { [CONTENT_TYPE]: "'application/xml'" },
    };
    const errorResponse = {
      statusCode: "500" as const,
      selectionPattern: LAMBDA_ERROR_PATTERN,
      responseTemplates: { "text/plain": error },
      responseParameters: { [CONTENT_TYPE]: "'text/plain; charset=utf-8'" },
    };

    const resources = new Map<string, ApiGatewayResource>();
    const resourceFor = (segments: string[]): ApiGatewayResource => {
      const path = segments.join("/");
      let resource = resources.get(path);
      if (!resource) {
        const parentId = segments.length === 1 ? this.restApi.rootResourceId : resourceFor(segments.slice(0, -1)).id;
        resource = new ApiGatewayResource(this, `resource_${segments.join("_")}`, {
          restApiId,
          parentId,
          pathPart: segments[segments.length - 1],
        });
        resources.set(path, resource);
        this.parts.push(resource);
      }
      return resource;
    };

    // Construct ids spell the route, verb and status: the attributes that force an API Gateway
    // method, integration or response to be replaced. The deployment's create_before_destroy
    // spreads to them (hashicorp/terraform-provider-aws#21907), and a replacement in place would
    // create the new one over the live one and then delete both; a new address cannot.
    for (const { route, function: fn } of props.routes) {
      const resource = resourceFor(route.split("/"));
      const at = route.replace(/\//g, "_");
      for (const verb of METHODS) {
        const on = { restApiId, resourceId: resource.id };
        const method = new ApiGatewayMethod(this, `${at}_${verb}`, { ...on, httpMethod: verb, ...methodConfig });
        const httpMethod = method.httpMethod;
        const wired = new ApiGatewayIntegration(this, `${at}_${verb}_integration`, {
          ...on,
          httpMethod,
          ...integration,
          uri: fn.invokeArn,
        });
        const statuses = new Map(
          METHOD_STATUSES.map((statusCode) => [
            statusCode,
            new ApiGatewayMethodResponse(this, `${at}_${verb}_${statusCode}`, { ...on, httpMethod, statusCode, ...methodResponse }),
          ]),
        );
        // An integration response names its method response's status and can only be created
        // once the integration exists, which Terraform does not infer from the ids alone.
        const responses = [successResponse, errorResponse].map(
          (response) =>
            new ApiGatewayIntegrationResponse(this, `${at}_${verb}_${response.statusCode}_response`, {
              ...on,
              httpMethod,
              ...response,
              dependsOn: [wired, statuses.get(response.statusCode)!],
            }),
        );
        this.parts.push(method, wired, ...statuses.values(), ...responses);
        this.integrationUris.push(wired.uri);

        new LambdaPermission(this, `${at}_${verb}_permission`, {
          statementId: `AllowApiGateway${verb}`,
          action: "lambda:InvokeFunction",
          functionName: fn.functionName,
          principal: "apigateway.amazonaws.com",
          sourceArn: `${this.restApi.executionArn}/*/${verb}/${route}`,
        });
      }
    }

    this.shape = {
      endpointConfiguration,
      routes: props.routes.map(({ route }) => route),
      methods: METHODS,
      method: methodConfig,
      integration,
      methodResponses: METHOD_STATUSES.map((statusCode) => ({ statusCode, ...methodResponse })),
      integrationResponses: [successResponse, errorResponse],
    };
  }
}
