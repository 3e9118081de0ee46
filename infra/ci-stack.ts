// The optional denwa-ci stack, created once by a person (`make ci-role`): GitHub's OIDC provider
// and the role the workflow in .github/workflows/deploy.yml assumes. The role trusts only the
// named repository's pull requests and its dev and prod environments, and may do only what a
// plan or deploy of this project does: its stages' functions, role, API, log groups, alarms,
// topic, certificate and DNS records, and their state objects. No long-lived keys anywhere.
import { Construct } from "constructs";
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { relative, resolve, join } from "node:path";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { UserError } from "../contract";
import { APP } from "./names";
import type { StageConfig } from "./stage-config";

/** What infra/stages.ts states for CI; the stack is synthesized only when a repository is named. */
export interface CiSettings {
  /** The GitHub repository whose workflow deploys, "owner/name". */
  repository?: string;
  /** Whether this stack creates the account's GitHub OIDC provider; false when the account has one. Default true. */
  createOidcProvider?: boolean;
}

export interface DenwaCiStackProps {
  repository: string;
  createOidcProvider: boolean;
  /** The stages the role deploys, for the names and regions it may touch. */
  stages: StageConfig[];
}

const GITHUB_OIDC = "token.actions.githubusercontent.com";

export const CI_STACK = `${APP}-ci`;
export const CI_ROLE_NAME = `${APP}-ci-deploy`;

export class DenwaCiStack extends TerraformStack {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: DenwaCiStackProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(props.repository)) {
      throw new UserError(`The CI repository ${JSON.stringify(props.repository)} in infra/stages.ts must be a GitHub "owner/name".`);
    }
    const local = props.stages.find(({ remoteState }) => !remoteState);
    if (local) {
      throw new UserError(`The ${local.stage} stage has no remoteState in infra/stages.ts: set one before creating the CI role, as CI runners keep no state files.`);
    }
    new AwsProvider(this, "aws", { region: props.stages[0].region, defaultTags: [{ tags: { app: APP, stage: "ci" } }] });
    // Created once from a person's machine; its state stays at the project root beside the stages'.
    const stackDir = resolve(App.of(this).outdir, "stacks", id);
    new LocalBackend(this, { path: relative(stackDir, join(__dirname, "..", `terraform.${id}.tfstate`)) });

    const partition = new DataAwsPartition(this, "partition").partition;
    const account = new DataAwsCallerIdentity(this, "account").accountId;
    const providerArn = props.createOidcProvider
      ? new IamOpenidConnectProvider(this, "github", { url: `https://${GITHUB_OIDC}`, clientIdList: ["sts.amazonaws.com"] }).arn
      : new DataAwsIamOpenidConnectProvider(this, "github", { url: `https://${GITHUB_OIDC}` }).arn;

    const repo = `repo:${props.repository}`;
    this.role = new IamRole(this, "role", {
      name: CI_ROLE_NAME,
      description: `Plans and deploys denwa from ${props.repository}'s GitHub Actions workflow.`,
      maxSessionDuration: 3600,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: providerArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: { [`${GITHUB_OIDC}:aud`]: "sts.amazonaws.com" },
              // A job with an environment is "environment:NAME"; a pull request's plan job has none.
              "ForAnyValue:StringEquals": { [`${GITHUB_OIDC}:sub`]: [`${repo}:pull_request`, ...props.stages.map(({ stage }) => `${repo}:environment:${stage}`)] },
            },
          },
        ],
      }),
    });

    this.policy = new IamRolePolicy(this, "policy", {
      name: CI_ROLE_NAME,
      role: this.role.id,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: deployStatements(props.stages, partition, account) }),
    });

    new TerraformOutput(this, "role_arn", {
      value: this.role.arn,
      description: "Set it as the repository variable DENWA_DEPLOY_ROLE_ARN.",
    }).overrideLogicalId("role_arn");
  }
}

/** What `cdktf deploy denwa-<stage>` calls, scoped to the stages' own names wherever AWS allows. */
function deployStatements(stages: StageConfig[], partition: string, account: string): object[] {
  const each = (arn: (stage: StageConfig) => string | string[]) => stages.flatMap(arn);
  const regional = (service: string, { region }: StageConfig, resource: string) => `arn:${partition}:${service}:${region}:${account}:${resource}`;
  const zones = [...new Set(stages.flatMap(({ domain }) => (domain?.hostedZoneId ? [domain.hostedZoneId] : [])))];
  const statements: object[] = [
    {
      Sid: "Functions",
      Effect: "Allow",
      Action: ["lambda:CreateFunction", "lambda:DeleteFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:GetFunctionCodeSigningConfig", "lambda:GetRuntimeManagementConfig", "lambda:GetPolicy", "lambda:ListVersionsByFunction", "lambda:ListTags", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:AddPermission", "lambda:RemovePermission", "lambda:TagResource", "lambda:UntagResource"],
      Resource: each((stage) => regional("lambda", stage, `function:${APP}-${stage.stage}-*`)),
    },
    {
      Sid: "FunctionRole",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole"],
      Resource: each(({ stage }) => `arn:${partition}:iam::${account}:role/${APP}-${stage}-functions`),
    },
    {
      Sid: "PassFunctionRoleToLambda",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: each(({ stage }) => `arn:${partition}:iam::${account}:role/${APP}-${stage}-functions`),
      Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    },
    {
      // API Gateway's IAM resources are ids, not names: the REST APIs and domain names of the regions.
      Sid: "Api",
      Effect: "Allow",
      Action: ["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"],
      Resource: each(({ region }) => ["/restapis", "/restapis/*", "/domainnames", "/domainnames/*", "/tags/*"].map((path) => `arn:${partition}:apigateway:${region}::${path}`)),
    },
    {
      Sid: "LogGroupsAndFilters",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource", "logs:PutMetricFilter", "logs:DeleteMetricFilter"],
      Resource: each((stage) => [
        regional("logs", stage, `log-group:/aws/lambda/${APP}-${stage.stage}-*`),
        regional("logs", stage, `log-group:/aws/apigateway/${APP}-${stage.stage}/*`),
        regional("logs", stage, "log-group:API-Gateway-Execution-Logs_*"),
      ]),
    },
    {
      // Describe calls list across the account and take no narrower resource.
      Sid: "Describe",
      Effect: "Allow",
      Action: ["logs:DescribeLogGroups", "logs:DescribeMetricFilters", "cloudwatch:DescribeAlarms"],
      Resource: "*",
    },
    {
      Sid: "Alarms",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
      Resource: each((stage) => regional("cloudwatch", stage, `alarm:${APP}-${stage.stage}-*`)),
    },
    {
      Sid: "AlarmTopic",
      Effect: "Allow",
      Action: ["sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource", "sns:ListTagsForResource", "sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes"],
      Resource: each((stage) => regional("sns", stage, `${APP}-${stage.stage}-alarms*`)),
    },
    {
      Sid: "State",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: each(({ remoteState }) => [`arn:${partition}:s3:::${remoteState!.bucket}/${remoteState!.key}`, `arn:${partition}:s3:::${remoteState!.bucket}/${remoteState!.key}.tflock`]),
    },
    {
      Sid: "StateBucket",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: [...new Set(each(({ remoteState }) => `arn:${partition}:s3:::${remoteState!.bucket}`))],
    },
  ];
  if (stages.some(({ domain }) => domain)) {
    statements.push({
      Sid: "Certificates",
      Effect: "Allow",
      Action: ["acm:RequestCertificate", "acm:DescribeCertificate", "acm:DeleteCertificate", "acm:ListTagsForCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
      Resource: "*",
    });
  }
  if (zones.length > 0) {
    statements.push(
      {
        Sid: "DnsRecords",
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:GetHostedZone"],
        Resource: zones.map((zone) => `arn:${partition}:route53:::hostedzone/${zone}`),
      },
      { Sid: "DnsChanges", Effect: "Allow", Action: "route53:GetChange", Resource: `arn:${partition}:route53:::change/*` },
    );
  }
  return statements;
}
