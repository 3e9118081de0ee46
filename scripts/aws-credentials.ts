// Whether this shell can reach AWS, asked before any SDK call. The SDK's own search would end
// by asking the EC2 metadata address, which outside EC2 only hangs.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../contract";

export function awsCredentialSource(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return "AWS_ACCESS_KEY_ID";
  if (env.AWS_PROFILE) return `profile ${env.AWS_PROFILE}`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return "web identity";
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return "container role";
  if (env.AWS_EC2_METADATA_DISABLED === "false") return "EC2 instance role";
  const home = env.HOME || homedir();
  const files = [env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials"), env.AWS_CONFIG_FILE || join(home, ".aws", "config")];
  return files.some((f) => existsSync(f)) ? "default profile" : undefined;
}

export function requireAwsCredentials(env: NodeJS.ProcessEnv = process.env): string {
  const source = awsCredentialSource(env);
  if (!source) {
    throw new UserError("No AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (on an EC2 runner, AWS_EC2_METADATA_DISABLED=false).");
  }
  env.AWS_EC2_METADATA_DISABLED ??= "true";
  return source;
}

/**
 * The SSM client settings `env` gives: its keys and endpoint when it names them, else the SDK's own
 * search (which reads process.env, the same object when `env` is the shell's).
 */
export function ssmClientConfig(env: NodeJS.ProcessEnv, region: string) {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  return {
    region,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken } : undefined,
    endpoint: env.AWS_ENDPOINT_URL_SSM || env.AWS_ENDPOINT_URL || undefined,
  };
}
