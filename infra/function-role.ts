// The one execution role of a stage's functions, allowed exactly what the runtime does: write to
// its functions' own log groups, and read the stage's auth token parameter and the parameters of
// the secrets its functions declare (one GetParameters call per cold start reads them together). There is no
// logs:CreateLogGroup: the stack creates every group with a retention, and a function must not
// recreate one that would keep logs forever. The token is a SecureString encrypted with the
// AWS-managed key (alias/aws/ssm), which needs no kms grant; a customer-managed key would also
// need kms:Decrypt on that key.
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";

export interface FunctionRoleProps {
  /** Physical name of the role and its policy. */
  name: string;
  region: string;
  /** Names of the log groups the functions write to. */
  logGroupNames: string[];
  /** SSM parameter path of the auth token, e.g. /denwa/dev/twilio-auth-token. */
  tokenParameter: string;
  /** SSM parameter paths of the declared secrets, e.g. /denwa/dev/secrets/CRM_API_KEY. */
  secretParameters: string[];
}

export class FunctionRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: FunctionRoleProps) {
    super(scope, id);
    const partition = new DataAwsPartition(this, "partition").partition;
    const account = new DataAwsCallerIdentity(this, "account").accountId;
    const arn = (service: string, resource: string) => `arn:${partition}:${service}:${props.region}:${account}:${resource}`;

    this.role = new IamRole(this, "role", {
      name: props.name,
      description: "Runs the denwa webhook functions of one stage.",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });

    this.policy = new IamRolePolicy(this, "policy", {
      name: props.name,
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: props.logGroupNames.map((name) => arn("logs", `log-group:${name}:*`)),
          },
          {
            Sid: "ReadAuthTokenAndSecrets",
            Effect: "Allow",
            Action: "ssm:GetParameters",
            Resource: [props.tokenParameter, ...props.secretParameters].map((name) => arn("ssm", `parameter${name}`)),
          },
        ],
      }),
    });
  }
}
