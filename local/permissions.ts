// Whether API Gateway may invoke an integration's function: a resource policy statement
// (aws_lambda_permission) whose source ARN covers the method, or credentials on the integration.
import type { RequestState } from "./pipeline";
import type { ApiResource, Integration, LambdaFunction, RestApi, Stack, Stage } from "./stack";

/** The function, or why API Gateway may not invoke it. */
type Permission = { fn: LambdaFunction } | { problem: string };

export class Permissions {
  private readonly answers = new Map<string, Permission>();

  constructor(
    private readonly stack: Stack,
    private readonly api: RestApi,
  ) {}

  /** The integration's function, if a Lambda permission lets API Gateway invoke it for this method. */
  permittedFunction(state: RequestState, integration: Integration): LambdaFunction | undefined {
    const { stage, resource } = state.matched;
    // The stack does not change under a Gateway (a reload makes a new one), so neither does the answer.
    const key = `${stage.name} ${state.request.method} ${resource.id}`;
    let permission = this.answers.get(key);
    if (!permission) {
      permission = this.find(stage, state.request.method, resource, integration);
      this.answers.set(key, permission);
    }
    if ("fn" in permission) return permission.fn;
    state.trace.problems.push(permission.problem);
    return undefined;
  }

  private find(stage: Stage, httpMethod: string, resource: ApiResource, integration: Integration): Permission {
    const uri = integration.uri.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => stage.variables[name] ?? "");
    const target = /\/functions\/(.+)\/invocations$/.exec(uri)?.[1];
    const fn = target && this.stack.functions.find((f) => sameFunction(target, f));
    if (!fn) return { problem: `Execution failed due to configuration error: integration URI ${uri} names no Lambda function of this stack` };
    // Recorded: an integration_http_method of GET answers 500 (tests/conformance/aws-proxy-integration-method.json).
    if (integration.httpMethod !== "POST") {
      return { problem: `Execution failed due to configuration error: Lambda is invoked with POST, and integration_http_method is ${integration.httpMethod || "not set"}` };
    }
    // With credentials, API Gateway invokes through that role and needs no resource policy.
    if (integration.credentials) return { fn };
    const methodArn = `${this.api.executionArn}/${stage.name}/${httpMethod}${resource.path}`;
    const permitted = this.stack.permissions.some(
      (p) =>
        p.principal === "apigateway.amazonaws.com" &&
        (p.action === "lambda:InvokeFunction" || p.action === "lambda:*") &&
        sameFunction(p.functionName, fn) &&
        (p.sourceArn === undefined || arnLike(p.sourceArn, methodArn)),
    );
    if (permitted) return { fn };
    return {
      problem: `Execution failed due to configuration error: Invalid permissions on Lambda function ${fn.name}: no aws_lambda_permission for apigateway.amazonaws.com has a source ARN covering ${methodArn}`,
    };
  }
}

function sameFunction(reference: string, fn: LambdaFunction): boolean {
  // A name, a full ARN, or an ARN qualified by a version or alias.
  const name = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(reference)?.[1] ?? reference;
  return name === fn.name;
}

/** IAM's ArnLike: each of the six colon-separated parts compared with * and ? wildcards. */
export function arnLike(pattern: string, arn: string): boolean {
  const split = (text: string) => {
    const parts = text.split(":");
    return [...parts.slice(0, 5), parts.slice(5).join(":")];
  };
  const patternParts = split(pattern);
  const arnParts = split(arn);
  return patternParts.every((part, i) => {
    const regex = part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${regex}$`, "s").test(arnParts[i] ?? "");
  });
}
