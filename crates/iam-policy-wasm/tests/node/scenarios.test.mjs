// Every scenario under tests/scenarios, run through the built Node package: each
// expected decision must hold, for check() and simulate() alike, and check() must
// return exactly what `iam-policy check --json` prints (when the CLI is built).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadManaged, root, scenarioFiles, wasm } from "./helpers.mjs";

// Scenarios may reference AWS managed policies ({"managed": …}): load the shipped copy.
loadManaged();
const files = scenarioFiles();

test("the seed scenarios are there", () => {
  const names = files.map(([p]) => p);
  assert.ok(names.some((p) => p.endsWith("component-ip-restriction.json")), names.join(", "));
  assert.ok(names.some((p) => p.endsWith("register-image-step-action.json")), names.join(", "));
});

for (const [path, text] of files) {
  test(`check: ${path}`, () => {
    const out = wasm.check(text, path);
    assert.equal(out.ok, true, out.error);
    const scenario = JSON.parse(text);
    assert.equal(out.results.length, scenario.requests.length);
    let expected = 0;
    for (const [i, r] of out.results.entries()) {
      const req = scenario.requests[i];
      assert.equal(r.file, path);
      assert.equal(r.request, i);
      assert.equal(r.error, null, `#${i} ${req.name}: ${r.error}`);
      if (req.expect) {
        expected++;
        assert.equal(r.decision, req.expect, `#${i} "${req.name}" in ${path}`);
        assert.equal(r.pass, true);
      }
    }
    assert.equal(out.passed, expected);
    assert.equal(out.failed, 0);
  });

  test(`simulate: ${path}`, () => {
    // As an object this time: the same decisions, with a trace and sentences for each.
    const scenario = JSON.parse(text);
    const out = wasm.simulate(scenario, path);
    assert.equal(out.ok, true, out.error);
    for (const [i, r] of out.results.entries()) {
      const req = scenario.requests[i];
      if (req.expect) assert.equal(r.decision, req.expect, `#${i} "${req.name}"`);
      assert.equal(r.authorization.decision, r.decision);
      assert.match(r.explanation.decision, /^The request is (allowed|explicitly denied|implicitly denied): /);
      assert.ok(r.explanation.layers.length > 0);
      for (const l of r.explanation.layers) assert.ok(l.sentence.length > 0);
    }
    assert.ok(out.policies.every((p) => p.ok && typeof p.text === "string"));
  });
}

// The command line, built from the same sources (cargo xtask widget-test sets it; a stale
// binary would compare against an older engine, so nothing is guessed).
const cli = process.env.IAM_POLICY_CLI && existsSync(process.env.IAM_POLICY_CLI) ? process.env.IAM_POLICY_CLI : null;

test("check() returns exactly the objects of `iam-policy check --json`", { skip: !cli && "set IAM_POLICY_CLI to a freshly built iam-policy binary" }, () => {
  for (const [path, text] of files) {
    const printed = JSON.parse(execFileSync(cli, ["check", "--json", path], { cwd: root, encoding: "utf8" }));
    assert.deepEqual(wasm.check(text, path).results, printed, path);
  }
});
