// A stage with a custom domain: the ACM certificate validated through DNS, API Gateway's
// REGIONAL domain name with the TLS_1_2 security policy, the root base path mapping, and the
// URLs Twilio is given. Without a hosted zone the DNS records are the user's to write.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UserError } from "../contract";
import { domainBaseUrl, resolveDomain } from "../infra/domain-settings";
import { at, bare, ref, resources, ROUTES, synthStage } from "./helpers/infra-synth";

const ZONE = "Z0123456789ABCDEFGHIJ";
const zoned = synthStage("prod", { settings: { domain: { name: "voice.example.jp", hostedZoneId: ZONE } } });
const manual = synthStage("dev", { settings: { domain: { name: "dev.voice.example.jp" } } });

const domain = suite("CustomDomain");

domain("an ACM certificate for the name, validated through DNS, replaced before it is let go", () => {
  assert.equal(bare(at(zoned, "aws_acm_certificate", "domain/certificate").config), {
    domain_name: "voice.example.jp",
    validation_method: "DNS",
    lifecycle: { create_before_destroy: true },
  });
});

// cdktf writes the first element of the set as Terraform's legacy index "tolist(…).0".
domain("with a hosted zone: the validation record and an alias A record are written, and validation waits for the record", () => {
  const cert = at(zoned, "aws_acm_certificate", "domain/certificate").name;
  const option = (field: string) => `\${tolist(aws_acm_certificate.${cert}.domain_validation_options).0.${field}}`;
  assert.equal(bare(at(zoned, "aws_route53_record", "domain/validation-record").config), {
    zone_id: ZONE,
    name: option("resource_record_name"),
    type: option("resource_record_type"),
    records: [option("resource_record_value")],
    ttl: 300,
    allow_overwrite: true,
  });
  assert.equal(bare(at(zoned, "aws_acm_certificate_validation", "domain/validation").config), {
    certificate_arn: ref(zoned, "aws_acm_certificate", "domain/certificate", "arn"),
    validation_record_fqdns: [ref(zoned, "aws_route53_record", "domain/validation-record", "fqdn")],
  });
  assert.equal(bare(at(zoned, "aws_route53_record", "domain/alias").config), {
    zone_id: ZONE,
    name: "voice.example.jp",
    type: "A",
    alias: {
      name: ref(zoned, "aws_api_gateway_domain_name", "domain/domain", "regional_domain_name"),
      zone_id: ref(zoned, "aws_api_gateway_domain_name", "domain/domain", "regional_zone_id"),
      evaluate_target_health: false,
    },
  });
});

domain("the REGIONAL domain name with TLS 1.2, and its root mapped to the stage", () => {
  assert.equal(bare(at(zoned, "aws_api_gateway_domain_name", "domain/domain").config), {
    domain_name: "voice.example.jp",
    regional_certificate_arn: ref(zoned, "aws_acm_certificate_validation", "domain/validation", "certificate_arn"),
    endpoint_configuration: { types: ["REGIONAL"] },
    security_policy: "TLS_1_2",
  });
  assert.equal(bare(at(zoned, "aws_api_gateway_base_path_mapping", "domain/mapping").config), {
    api_id: ref(zoned, "aws_api_gateway_rest_api", "api/api", "id"),
    stage_name: ref(zoned, "aws_api_gateway_stage", "stage/stage", "stage_name"),
    domain_name: ref(zoned, "aws_api_gateway_domain_name", "domain/domain", "domain_name"),
  });
});

domain("publicBaseUrl comes from the domain: webhook_urls list its URLs and the functions sign against it", () => {
  assert.equal(zoned.json.output.webhook_urls.value, Object.fromEntries(ROUTES.map((route) => [route, `https://voice.example.jp/${route}`])));
  for (const fn of Object.values<any>(resources(zoned, "aws_lambda_function"))) {
    assert.is(fn.environment.variables.DENWA_PUBLIC_BASE_URL, "https://voice.example.jp");
  }
});

domain("without a hosted zone: no Route 53 record; the outputs name the validation record and the target to point the name at", () => {
  assert.equal(resources(manual, "aws_route53_record"), {});
  assert.equal(bare(at(manual, "aws_acm_certificate_validation", "domain/validation").config), {
    certificate_arn: ref(manual, "aws_acm_certificate", "domain/certificate", "arn"),
  });
  const cert = at(manual, "aws_acm_certificate", "domain/certificate").name;
  const option = (field: string) => `\${tolist(aws_acm_certificate.${cert}.domain_validation_options).0.${field}}`;
  assert.equal(manual.json.output.domain_validation_record.value, {
    name: option("resource_record_name"),
    type: option("resource_record_type"),
    value: option("resource_record_value"),
  });
  assert.equal(manual.json.output.domain_target.value, {
    name: ref(manual, "aws_api_gateway_domain_name", "domain/domain", "regional_domain_name"),
    zone_id: ref(manual, "aws_api_gateway_domain_name", "domain/domain", "regional_zone_id"),
  });
});

domain("a stage without a domain declares none of it", () => {
  const plain = synthStage("dev");
  for (const type of ["aws_acm_certificate", "aws_api_gateway_domain_name", "aws_api_gateway_base_path_mapping", "aws_route53_record"]) {
    assert.equal(resources(plain, type), {}, type);
  }
  assert.is(plain.json.output.domain_target, undefined);
});

domain.run();

const refuses = (run: () => unknown, message: string) => assert.throws(run, (e: unknown) => e instanceof UserError && e.message === message, message);

const settings = suite("resolveDomain");

settings("keeps a host name and its Route 53 zone id", () => {
  assert.equal(resolveDomain("The prod stage's", { name: "voice.example.jp", hostedZoneId: ZONE }), { name: "voice.example.jp", hostedZoneId: ZONE });
});

settings("refuses a name that is no host, or a wildcard, and a zone id that is no Route 53 id", () => {
  refuses(() => resolveDomain("The prod stage's", { name: "Voice.Example.jp" }), 'The prod stage\'s domain name "Voice.Example.jp" must be a lower-case host name such as voice.example.jp.');
  refuses(() => resolveDomain("The prod stage's", { name: "*.example.jp" }), 'The prod stage\'s domain name "*.example.jp" must be a lower-case host name such as voice.example.jp.');
  refuses(() => resolveDomain("The prod stage's", { name: "voice.example.jp", hostedZoneId: "example.jp" }), 'The prod stage\'s domain hostedZoneId "example.jp" is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ.');
});

settings.run();

const base = suite("domainBaseUrl");

base("derives https://<name>, and accepts a stated publicBaseUrl only when it says the same", () => {
  assert.is(domainBaseUrl("The prod stage's", { name: "voice.example.jp" }, undefined), "https://voice.example.jp");
  assert.is(domainBaseUrl("The prod stage's", { name: "voice.example.jp" }, "https://voice.example.jp"), "https://voice.example.jp");
  refuses(() => domainBaseUrl("The prod stage's", { name: "voice.example.jp" }, "https://other.example.jp"), "The prod stage's publicBaseUrl https://other.example.jp differs from its domain voice.example.jp: leave publicBaseUrl out, it is derived from the domain.");
});

base.run();
