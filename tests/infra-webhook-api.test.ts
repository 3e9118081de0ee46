import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readTemplates, terraformLiteral, type Templates } from "../infra/templates";
import { at, bare, idOf, ref, resources, ROUTES, synthStage, type Synthesized } from "./helpers/infra-synth";

const dev = synthStage("dev");
const prod = synthStage("prod");
// As the JSON carries them: "${" written as Terraform's literal "$${".
const templates = Object.fromEntries(Object.entries(readTemplates()).map(([k, v]) => [k, terraformLiteral(v)])) as unknown as Templates;
const METHODS = ["GET", "POST"];

const api = (synth: Synthesized) => ({ id: ref(synth, "aws_api_gateway_rest_api", "api/api", "id") });
const method = (synth: Synthesized, route: string, verb: string) => at(synth, "aws_api_gateway_method", `api/${idOf(route)}_${verb}`);
const methodRef = (synth: Synthesized, route: string, verb: string) => `\${aws_api_gateway_method.${method(synth, route, verb).name}.http_method}`;
const resourceRef = (synth: Synthesized, route: string) => ref(synth, "aws_api_gateway_resource", `api/resource_${idOf(route)}`, "id");
/** The API, resource and method every piece of a method names. */
const on = (synth: Synthesized, route: string, verb: string) => ({
  rest_api_id: api(synth).id,
  resource_id: resourceRef(synth, route),
  http_method: methodRef(synth, route, verb),
});
/** An integration response's config, and what it must wait for: its integration and method response. */
function integrationResponse(synth: Synthesized, route: string, verb: string, status: string) {
  const { depends_on, ...config } = bare(at(synth, "aws_api_gateway_integration_response", `api/${idOf(route)}_${verb}_${status}_response`).config);
  const waitsFor = [
    `aws_api_gateway_integration.${at(synth, "aws_api_gateway_integration", `api/${idOf(route)}_${verb}_integration`).name}`,
    `aws_api_gateway_method_response.${at(synth, "aws_api_gateway_method_response", `api/${idOf(route)}_${verb}_${status}`).name}`,
  ];
  return { config, depends_on, waitsFor };
}

const restApi = suite("WebhookApi REST API and resources");

restApi("is one regional REST API named after the stage", () => {
  assert.equal(bare(at(dev, "aws_api_gateway_rest_api", "api/api").config), {
    name: "denwa-dev",
    description: "Twilio voice and SMS webhooks",
    endpoint_configuration: { types: ["REGIONAL"] },
  });
  assert.is(Object.keys(resources(dev, "aws_api_gateway_rest_api")).length, 1);
});

restApi("has one resource per path segment, shared prefixes once", () => {
  const all = resources(dev, "aws_api_gateway_resource");
  assert.is(Object.keys(all).length, 8, "voice, voice/hello, voice/menu, sms, sms/reply, call, call/status, fallback");
  const root = ref(dev, "aws_api_gateway_rest_api", "api/api", "root_resource_id");
  for (const [path, parent] of [["voice", root], ["sms", root], ["call", root], ["fallback", root], ["voice/hello", "voice"], ["voice/menu", "voice"], ["sms/reply", "sms"], ["call/status", "call"]]) {
    const resource = at(dev, "aws_api_gateway_resource", `api/resource_${idOf(path)}`).config;
    assert.is(resource.path_part, path.split("/").pop());
    assert.is(resource.parent_id, parent === root ? root : resourceRef(dev, parent), `${path} hangs under ${parent === root ? "the root" : parent}`);
    assert.is(resource.rest_api_id, api(dev).id);
  }
});

restApi.run();

const methods = suite("WebhookApi methods and integrations");

methods("GET and POST on every webhook, without an authorizer", () => {
  assert.is(Object.keys(resources(dev, "aws_api_gateway_method")).length, ROUTES.length * 2);
  for (const route of ROUTES) {
    for (const verb of METHODS) {
      assert.equal(bare(method(dev, route, verb).config), {
        rest_api_id: api(dev).id,
        resource_id: resourceRef(dev, route),
        http_method: verb,
        authorization: "NONE",
      }, `${verb} /${route}`);
    }
  }
});

methods("each method is a non-proxy AWS integration to its function with both request templates and passthrough NEVER", () => {
  for (const route of ROUTES) {
    for (const verb of METHODS) {
      const integration = at(dev, "aws_api_gateway_integration", `api/${idOf(route)}_${verb}_integration`).config;
      assert.equal(bare(integration), {
        ...on(dev, route, verb),
        type: "AWS",
        integration_http_method: "POST",
        uri: ref(dev, "aws_lambda_function", `webhook-${route.replace(/\//g, "-")}/function`, "invoke_arn"),
        passthrough_behavior: "NEVER",
        request_templates: {
          "application/x-www-form-urlencoded": templates.request,
          "application/json": templates.request,
        },
      }, `${verb} /${route}`);
    }
  }
});

methods.run();

const responses = suite("WebhookApi responses");

responses("every status a template can produce has its method response, with a Content-Type header", () => {
  assert.is(Object.keys(resources(dev, "aws_api_gateway_method_response")).length, ROUTES.length * 2 * 5);
  for (const route of ROUTES) {
    for (const verb of METHODS) {
      for (const status of ["200", "400", "403", "415", "500"]) {
        assert.equal(bare(at(dev, "aws_api_gateway_method_response", `api/${idOf(route)}_${verb}_${status}`).config), {
          ...on(dev, route, verb),
          status_code: status,
          response_parameters: { "method.response.header.Content-Type": true },
        }, `${verb} /${route} ${status}`);
      }
    }
  }
});

responses("success is the default response: response.vtl, raw TwiML as application/xml", () => {
  for (const route of ROUTES) {
    for (const verb of METHODS) {
      const { config, depends_on, waitsFor } = integrationResponse(dev, route, verb, "200");
      assert.equal(config, {
        ...on(dev, route, verb),
        status_code: "200",
        response_templates: { "application/xml": templates.response },
        response_parameters: { "method.response.header.Content-Type": "'application/xml'" },
      }, `${verb} /${route}`);
      assert.not.ok("selection_pattern" in config, "no selection pattern: the default response");
      assert.equal(depends_on, waitsFor, "created after its integration and method response");
    }
  }
});

responses("any Lambda error is a 500 in text/plain: error.vtl, or error-debug.vtl on a debug stage", () => {
  for (const [synth, template] of [[dev, templates.errorDebug], [prod, templates.error]] as const) {
    for (const route of ROUTES) {
      for (const verb of METHODS) {
        const { config, depends_on, waitsFor } = integrationResponse(synth, route, verb, "500");
        assert.equal(config, {
          ...on(synth, route, verb),
          status_code: "500",
          selection_pattern: "[\\s\\S]+",
          response_templates: { "text/plain": template },
          response_parameters: { "method.response.header.Content-Type": "'text/plain; charset=utf-8'" },
        }, `${synth.stage} ${verb} /${route}`);
        assert.equal(depends_on, waitsFor, "created after its integration and method response");
      }
    }
  }
  assert.is(Object.keys(resources(dev, "aws_api_gateway_integration_response")).length, ROUTES.length * 2 * 2, "no other integration responses");
});

responses("the error pattern matches every non-empty errorMessage as a whole, multi-line ones included", () => {
  const pattern = at(dev, "aws_api_gateway_integration_response", "api/voice_hello_POST_500_response").config.selection_pattern;
  // API Gateway's Java regex must match the whole message; [\s\S] means the same in Java and JavaScript.
  const whole = new RegExp(`^(?:${pattern})$`);
  for (const message of ["x", "Task timed out after 10.00 seconds", "Error: boom\n    at handler (index.js:1:1)\n", "日本語のエラー\r\n", "x".repeat(100_000)]) {
    assert.ok(whole.test(message), JSON.stringify(message.slice(0, 40)));
  }
  assert.not.ok(whole.test(""), "a success has no errorMessage and takes the default response");
});

responses.run();

const replacement = suite("WebhookApi under create_before_destroy");

// The deployment is create_before_destroy, and Terraform spreads that to everything it depends on
// (hashicorp/terraform-provider-aws#21907): a method, integration or response replaced in place
// would be created over the live one (same API, resource and method) and then deleted with it.
// No configuration change can ask for that here: every attribute that forces a replacement is
// spelled in the resource's construct path, so changing it makes a new address instead.
replacement("every attribute that forces replacement is fixed by the resource's address", () => {
  const forcing: Record<string, (segments: string[]) => Record<string, string>> = {
    aws_api_gateway_method: ([route, verb]) => ({ resource_id: resourceRef(dev, route), http_method: verb }),
    aws_api_gateway_integration: ([route, verb]) => ({ resource_id: resourceRef(dev, route), http_method: methodRef(dev, route, verb) }),
    aws_api_gateway_method_response: ([route, verb, status]) => ({ resource_id: resourceRef(dev, route), http_method: methodRef(dev, route, verb), status_code: status }),
    aws_api_gateway_integration_response: ([route, verb, status]) => ({ resource_id: resourceRef(dev, route), http_method: methodRef(dev, route, verb), status_code: status }),
  };
  let checked = 0;
  for (const [type, expected] of Object.entries(forcing)) {
    for (const config of Object.values(resources(dev, type))) {
      const path = config["//"].metadata.path as string;
      const match = /^denwa-dev\/api\/(.+)_(GET|POST)(?:_(\d{3}))?(?:_integration|_response)?$/.exec(path);
      assert.ok(match, `${path} spells its route and verb`);
      const route = ROUTES.find((r) => idOf(r) === match![1]);
      assert.ok(route, `${path} names a route`);
      const want = expected([route!, match![2], match![3]]);
      for (const [attribute, value] of Object.entries(want)) assert.is(config[attribute], value, `${path}: ${attribute}`);
      assert.is(config.rest_api_id, api(dev).id, `${path}: the one REST API`);
      checked++;
    }
  }
  assert.is(checked, ROUTES.length * 2 * (1 + 1 + 5 + 2), "methods, integrations, five method responses and two integration responses per method");
});

replacement.run();

const permissions = suite("WebhookApi Lambda permissions");

permissions("API Gateway may invoke each function only through this API's method and path", () => {
  assert.is(Object.keys(resources(dev, "aws_lambda_permission")).length, ROUTES.length * 2);
  const executionArn = ref(dev, "aws_api_gateway_rest_api", "api/api", "execution_arn");
  for (const route of ROUTES) {
    for (const verb of METHODS) {
      assert.equal(bare(at(dev, "aws_lambda_permission", `api/${idOf(route)}_${verb}_permission`).config), {
        statement_id: `AllowApiGateway${verb}`,
        action: "lambda:InvokeFunction",
        function_name: ref(dev, "aws_lambda_function", `webhook-${route.replace(/\//g, "-")}/function`, "function_name"),
        principal: "apigateway.amazonaws.com",
        source_arn: `${executionArn}/*/${verb}/${route}`,
      }, `${verb} /${route}`);
    }
  }
});

permissions.run();
