// Suite 5: the auth token and a declared secret are in no synthesized stack (so no Lambda
// environment), no bundle, no answer and no log line, whatever fails, even a handler that logs and
// throws the secret; prod answers hold no stack, file path or internal name. The sweep makes every kind of
// failure on both stages; the scans read everything any served stack answered or logged in this
// process (so, under `make reliability`, the fuzz, fault and load traffic too).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { readDotEnv } from "../../local/dotenv";
import { STACK_FRAME } from "./faults";
import type { Rig } from "./rig";
import type { Case } from "./report";
import { observed, type Served } from "./served";
import { ECHO, FIXTURE_SECRET, NOT_TWIML, SECRET_ROUTE, THROWS } from "./stacks";
import { CALL, FORM, OTHER_TOKEN, TOKEN, signedPost } from "./twilio-client";
import { readZip as unzip } from "../../local/zip";

const ROOT = join(__dirname, "..", "..");

/** The rig's token and secret, and any local token a developer's stacks and builds might hold. */
export function tokensToHide(): string[] {
  const local = [process.env.TWILIO_AUTH_TOKEN, readDotEnv(join(ROOT, ".env")).TWILIO_AUTH_TOKEN];
  return [TOKEN, FIXTURE_SECRET, ...local.filter((t): t is string => typeof t === "string" && t.length >= 8)];
}

function assertNoToken(where: string, text: string | Buffer): void {
  for (const token of tokensToHide()) assert.ok(!text.includes(token), `${where} holds an auth token or a secret`);
}

/** Every way a request can fail, on one stage. */
async function sweep(served: Served): Promise<void> {
  const at = (route: string) => `/${served.stage}/${route}`;
  const forged = [
    signedPost(served, at(THROWS), CALL),
    signedPost(served, at(NOT_TWIML), CALL),
    signedPost(served, at(SECRET_ROUTE), CALL),
    signedPost(served, at(ECHO), CALL, { token: OTHER_TOKEN }),
    signedPost(served, at(ECHO), CALL, { signature: () => undefined }),
    signedPost(served, at(ECHO), CALL, { signedPairs: [...CALL, ["Digits", "1"]] }),
    { method: "POST" as const, path: at(ECHO), headers: { "Content-Type": "application/json" }, body: "{}" },
    { method: "POST" as const, path: at(ECHO), headers: { "Content-Type": "text/plain" }, body: "x" },
    { method: "POST" as const, path: at(ECHO), headers: { "Content-Type": FORM }, body: "Body=%E3%81" },
    { method: "POST" as const, path: at(ECHO), headers: { "Content-Type": FORM }, body: "Body=%ZZ" },
    { method: "POST" as const, path: at("no/such/route"), headers: { "Content-Type": FORM }, body: "" },
  ];
  for (const request of forged) await served.send(request);
  served.functionLines();
}

/** What a prod answer must never show a caller. */
export function internalNames(functionNames: string[]): RegExp[] {
  const names = functionNames.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return [STACK_FRAME, /\/var\/task|LAMBDA_TASK_ROOT|\/tmp\/|node_modules/, /\.(ts|js|cjs|mjs)\b/, /index\.handler|Sandbox\.|RequestId:|errorType|errorMessage/, new RegExp(names.join("|"))];
}

export const LEAK_CASES: Case<Rig>[] = [
  {
    name: "the token is in no synthesized cdk.tf.json (the suites' stacks and cdktf.out/stacks/*)",
    run: async ({ stacks }) => {
      const dirs = [...Object.values(stacks.dirs)];
      const repoStacks = join(ROOT, "cdktf.out", "stacks");
      if (existsSync(repoStacks)) dirs.push(...readdirSync(repoStacks).map((name) => join(repoStacks, name)));
      for (const dir of dirs.filter((d) => existsSync(join(d, "cdk.tf.json")))) assertNoToken(dir, readFileSync(join(dir, "cdk.tf.json"), "utf8"));
    },
  },
  {
    name: "the token is in no bundle (every zip and every file in it, dist/ included)",
    run: async ({ stacks }) => {
      const zips = stacks.functions.map((f) => f.zip);
      const dist = join(ROOT, "dist", "functions");
      if (existsSync(dist)) zips.push(...readdirSync(dist).filter((n) => n.endsWith(".zip")).map((n) => join(dist, n)));
      assert.ok(zips.length >= stacks.functions.length);
      for (const zip of zips) {
        const bytes = readFileSync(zip);
        assertNoToken(zip, bytes);
        for (const entry of unzip(bytes)) assertNoToken(`${zip}!${entry.name}`, entry.data);
      }
    },
  },
  {
    name: "whatever fails, on dev and prod, the token is in no answer and no log line",
    run: async ({ dev, prod }) => {
      await sweep(dev);
      await sweep(prod);
      assert.ok(observed.replies.length >= 20 && observed.lines.length >= 20, "the sweep was seen");
      for (const { stage, path, reply } of observed.replies) assertNoToken(`the ${stage} answer to ${path}`, reply.body + JSON.stringify(reply.headers));
      for (const { stage, line } of observed.lines) assertNoToken(`the ${stage} log line ${line.slice(0, 80)}`, line);
    },
  },
  {
    name: "a handler that logs and throws its declared secret: dev's debug answer, its log line and its console line show [redacted]",
    run: async ({ dev }) => {
      const reply = await dev.send(signedPost(dev, `/dev/${SECRET_ROUTE}`, CALL));
      assert.equal(reply.status, 500);
      assert.match(reply.body, /fixture failure: the API refused \[redacted\]/, "the handler read the secret and the debug answer masks it");
      const lines = dev.functionLines();
      const line = lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.route === SECRET_ROUTE).pop();
      assert.deepEqual([line?.careless, line?.error], ["[redacted]", "fixture failure: the API refused [redacted]"]);
      assert.ok(lines.some((l) => l.endsWith("\tINFO\tcalling the API with [redacted]")), "the console line, as Lambda prefixes it, masks it too");
    },
  },
  {
    name: "prod answers hold no stack, file path or internal name",
    run: async ({ prod, stacks }) => {
      await sweep(prod);
      const patterns = internalNames(stacks.functions.map((f) => `denwa-prod-${f.slug}`).concat(stacks.root));
      // The echo fixture's successes quote random caller text back by design.
      const answers = observed.replies.filter(({ stage, path, reply }) => stage === "prod" && !(path.includes(ECHO) && reply.status === 200));
      assert.ok(answers.some(({ reply }) => reply.status === 500), "the sweep made prod fail");
      for (const { path, reply } of answers) {
        for (const pattern of patterns) assert.doesNotMatch(reply.body + JSON.stringify(reply.headers), pattern, `prod answer to ${path} (${reply.status}) shows ${pattern}`);
      }
    },
  },
];
