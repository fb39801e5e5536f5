// The hand-written TypeScript types must describe what the functions really return:
// real results (every seed scenario through parse/check/simulate, and failures) are
// written into a .ts file as object literals typed with the package's types, and tsc
// type-checks it (strict: a missing field, a wrong type or an extra field fails).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { here, loadManaged, pkgDir, scenarioFiles, wasm } from "./helpers.mjs";

const tsc = join(here, "node_modules/typescript/bin/tsc");

test("the .d.ts types match real results", { skip: !existsSync(tsc) && "run npm ci in this folder (typescript)" }, () => {
  const lines = [`import * as T from ${JSON.stringify(join(pkgDir, "iam_policy_wasm.js"))};`];
  let n = 0;
  const add = (type, value) => lines.push(`export const v${n++}: ${type} = ${JSON.stringify(value)};`);
  add("T.Failure", wasm.managedShow("AWSImageBuilderFullAccess")); // before loadManagedPolicies
  add("T.ManagedInfo", loadManaged());
  add("T.ManagedSearchOutput", wasm.managedSearch("imagebuilder", { limit: 5 }));
  add("T.ManagedShowOutput", wasm.managedShow("AWSImageBuilderReadOnlyAccess"));
  add("T.Failure", wasm.managedShow("AWSImageBuilderFulAccess"));
  for (const [path, text] of scenarioFiles()) {
    const scenario = JSON.parse(text);
    add("T.Scenario", scenario);
    add("T.CheckOutput", wasm.check(text, path));
    add("T.SimulateOutput", wasm.simulate(text, path));
    add("T.ShareOutput", wasm.shareFragment(text));
    add("T.ShareTextOutput", wasm.shareText(text));
    add("T.ReadShareOutput", wasm.readShareFragment(wasm.shareFragment(text).fragment));
    for (const [kind, group] of Object.entries(scenario.policies)) {
      for (const p of [group].flat(2).filter(Boolean)) {
        add("T.ParseResult", wasm.parse(typeof p === "string" ? p : JSON.stringify(p, null, 2), kind === "identity" ? "identity" : kind === "resource" ? "resource" : null));
      }
    }
  }
  add("T.ParseResult", wasm.parse('{"Version": "2012-10-17", "Statement": [{"Efect": "Allow"}]}'));
  add("T.LintResult", wasm.lint("{", "scp"));
  add("T.Failure", wasm.check("{"));
  add("T.Failure", wasm.expand("s3:*")); // before loadCatalog
  wasm.loadCatalog(readFileSync(join(pkgDir, "catalog.json"), "utf8"));
  add("T.ExpandOutput", wasm.expand("s3:Get*"));
  add("T.SummaryOutput", wasm.summary('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "iam:*"], "Resource": "*"}]}'));
  add("T.CompletionOutput", wasm.completeActions("s3:Get"));
  add("T.CompletionOutput", wasm.conditionKeys(["s3:GetObject"], "s3:"));
  add("T.CompletionOutput", wasm.arnTemplates("s3:GetObject"));
  const v1 = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}';
  const v2 = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}';
  add("T.DiffOutput", wasm.diff(v1, v2, { service: "sqs" }));
  add("T.DiffOutput", wasm.diff(v2, v1, { kind: "identity", service: "sqs", examples: false }));
  add("T.DiffFailure", wasm.diff(v1, "{", null));
  add("T.Failure", wasm.parse("{}", "banana"));
  add("T.Failure", wasm.readShareFragment("s=1.AAAA"));
  const failed = wasm.simulate({ policies: { identity: ["{"] }, requests: [{ principal: "arn:aws:iam::111122223333:user/alice", action: "a:b", resource: "*" }, { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: "" }] });
  assert.equal(failed.ok, true);
  add("T.SimulateOutput", failed);
  // The declared signatures accept what the README shows.
  lines.push(
    `declare const s: T.Scenario;`,
    `const c: T.CheckOutput | T.Failure = T.check(s); if (c.ok) { const d: (T.Decision | null)[] = c.results.map((r) => r.decision); void d; } else { const e: string = c.error; void e; }`,
    `const p: T.ParseResult | T.Failure = T.parse("{}"); void p; const q: T.LintResult | T.Failure = T.lint("{}", "scp"); void q; const cat: T.CatalogInfo | T.Failure = T.loadCatalog("{}"); void cat;`,
    `const m = T.simulate("{}", "f.json"); if (m.ok) { const e: string | undefined = m.results[0]?.explanation?.decision; void e; }`,
    `const f: string = T.version(); void f; void T.shareFragment(s); void T.readShareFragment("#s=1.x");`,
    `const mi: T.ManagedInfo | T.Failure = T.loadManagedPolicies("{}"); void mi; void T.managedSearch("s3", { service: "s3", limit: 3 }); void T.managedSearch();`,
    `const ms = T.managedShow("ReadOnlyAccess"); if (ms.ok) { const doc: string = ms.policy.document; void doc; } else { const sg: string[] | undefined = ms.suggestions; void sg; }`,
    `const df = T.diff("{}", "{}", { kind: "resource" }); if (df.ok) { const g: boolean = df.summary.newAccess; void g; }`,
  );
  const dir = mkdtempSync(join(tmpdir(), "iam-policy-wasm-types-"));
  try {
    writeFileSync(join(dir, "results.ts"), lines.join("\n") + "\n");
    try {
      execFileSync(
        process.execPath,
        [tsc, "--noEmit", "--strict", "--exactOptionalPropertyTypes", "--target", "es2022", "--module", "nodenext",
         "--moduleResolution", "nodenext", "--skipLibCheck", "false", join(dir, "results.ts")],
        { encoding: "utf8", stdio: "pipe" },
      );
    } catch (e) {
      assert.fail(`tsc found mismatches:\n${(e.stdout + e.stderr).split("\n").slice(0, 30).join("\n")}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(n > 10);
});
