// The stage's custom domain: an ACM certificate validated through DNS, the REGIONAL API Gateway
// domain name with TLS 1.2 as its floor, and the mapping of the domain's root to the stage, so
// that https://<domain>/voice/hello reaches /voice/hello with no stage in the path. With a
// Route 53 hosted zone, the validation record and the alias to the domain are written here;
// without one, the outputs name the records to create at the DNS host, and apply waits for them.
import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { ApiGatewayBasePathMapping } from "@cdktf/provider-aws/lib/api-gateway-base-path-mapping";
import { ApiGatewayDomainName } from "@cdktf/provider-aws/lib/api-gateway-domain-name";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { CustomDomain as CustomDomainSetting } from "./domain-settings";

export interface CustomDomainProps {
  domain: CustomDomainSetting;
  restApiId: string;
  stageName: string;
}

export class CustomDomain extends Construct {
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;
  readonly domainName: ApiGatewayDomainName;
  readonly mapping: ApiGatewayBasePathMapping;
  /** The DNS record ACM checks: name, type and value, to create by hand when no zone is given. */
  readonly validationRecord: { name: string; type: string; value: string };

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const { name, hostedZoneId } = props.domain;

    this.certificate = new AcmCertificate(this, "certificate", {
      domainName: name,
      validationMethod: "DNS",
      // A renewed or replaced certificate is issued before the old one is let go.
      lifecycle: { createBeforeDestroy: true },
    });
    const option = this.certificate.domainValidationOptions.get(0);
    this.validationRecord = { name: option.resourceRecordName, type: option.resourceRecordType, value: option.resourceRecordValue };

    const record =
      hostedZoneId === undefined
        ? undefined
        : new Route53Record(this, "validation-record", {
            zoneId: hostedZoneId,
            name: this.validationRecord.name,
            type: this.validationRecord.type,
            records: [this.validationRecord.value],
            ttl: 300,
            allowOverwrite: true,
          });
    this.validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: record ? [record.fqdn] : undefined,
    });

    this.domainName = new ApiGatewayDomainName(this, "domain", {
      domainName: name,
      regionalCertificateArn: this.validation.certificateArn,
      endpointConfiguration: { types: ["REGIONAL"] },
      securityPolicy: "TLS_1_2",
    });
    this.mapping = new ApiGatewayBasePathMapping(this, "mapping", {
      apiId: props.restApiId,
      stageName: props.stageName,
      domainName: this.domainName.domainName,
    });

    if (hostedZoneId !== undefined) {
      new Route53Record(this, "alias", {
        zoneId: hostedZoneId,
        name,
        type: "A",
        alias: { name: this.domainName.regionalDomainName, zoneId: this.domainName.regionalZoneId, evaluateTargetHealth: false },
      });
    }
  }
}
