// The API's contract: positions in diagnostics, errors as values (never a throw),
// share links, lint.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { root, wasm, pkgDir } from "./helpers.mjs";

const ipScenario = JSON.parse(
  readFileSync(join(root, "tests/scenarios/shared/image-builder/component-ip-restriction.json"), "utf8"),
);

test("parse: a valid policy", () => {
  const text = JSON.stringify(ipScenario.policies.identity[0], null, 2);
  const r = wasm.parse(text);
  assert.equal(r.ok, true);
  assert.equal(r.kind, "identity");
  assert.equal(r.statementCount, 1);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === "error"), []);
});

test("parse: diagnostics carry line and column", () => {
  const text = [
    "{",
    '  "Version": "2012-10-17",',
    '  "Statement": [',
    '    { "Efect": "Allow", "Action": "s3:GetObject", "Resource": "*" }',
    "  ]",
    "}",
  ].join("\n");
  const r = wasm.parse(text);
  assert.equal(r.ok, false);
  const d = r.diagnostics.find((d) => d.code === "unknown-element");
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.equal(d.severity, "error");
  assert.equal(d.span.start.line, 4);
  assert.equal(d.span.start.column, 7); // the key "Efect", counted in characters, 1-based
  assert.match(d.hint, /Effect/);
});

test("parse: JSON syntax errors are positioned too, in characters not bytes", () => {
  const r = wasm.parse('{\n  "Version": "2012-10-17",\n  "Id": "ünïcode",,\n}');
  assert.equal(r.ok, false);
  const d = r.diagnostics[0];
  assert.equal(d.code, "invalid-json");
  assert.equal(d.span.start.line, 3);
  assert.equal(d.span.start.column, 19); // 22 if it counted UTF-8 bytes
});

test("parse: policy kinds", () => {
  const resourcePolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
  });
  // A resource-based policy needs a Principal; an identity-based one must not have one.
  assert.equal(wasm.parse(resourcePolicy, "identity").ok, true);
  const r = wasm.parse(resourcePolicy, "resource");
  assert.equal(r.ok, false);
  assert.equal(r.kind, "resource");
  assert.ok(r.diagnostics.some((d) => d.code === "missing-element"), JSON.stringify(r.diagnostics));
});

test("lint before loadCatalog: grammar findings and the size quota only", () => {
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3GetObject", "Resource": "*"}]}';
  const r = wasm.lint(text);
  assert.equal(r.catalogLoaded, false);
  assert.equal(r.ok, false);
  const f = r.findings.find((x) => x.code === "malformed-action");
  assert.ok(f, JSON.stringify(r.findings));
  assert.equal(f.category, "error");
  assert.deepEqual([f.span.start.line, f.span.start.column], [1, text.indexOf('"s3GetObject"') + 1]);
  assert.ok(r.size.size > 0 && r.size.limit.max === 6144, JSON.stringify(r.size));
});

test("lint after loadCatalog: checks against the service catalog", () => {
  const info = wasm.loadCatalog(readFileSync(join(pkgDir, "catalog.json"), "utf8"));
  assert.equal(info.ok, true, JSON.stringify(info));
  assert.ok(info.actions > 20000 && info.services > 400, JSON.stringify(info));
  const text = [
    "{",
    '  "Version": "2012-10-17",',
    '  "Statement": [',
    '    { "Effect": "Allow", "Action": ["s3:GetObjekt", "iam:PassRole"], "Resource": "*" }',
    "  ]",
    "}",
  ].join("\n");
  const r = wasm.lint(text);
  assert.equal(r.catalogLoaded, true);
  assert.equal(r.ok, false);
  const unknown = r.findings.find((x) => x.code === "unknown-action");
  assert.ok(unknown, JSON.stringify(r.findings));
  assert.equal(unknown.span.start.line, 4);
  assert.match(unknown.hint, /s3:GetObject/);
  assert.ok(r.findings.some((x) => x.code === "pass-role-star-resource" && x.category === "securityWarning"));
  // the seed IP policy lints clean
  const seed = JSON.stringify(ipScenario.policies.identity[0], null, 2);
  assert.deepEqual(wasm.lint(seed).findings, []);
  // a bad catalog is a value, not a throw (and keeps the loaded one)
  assert.equal(wasm.loadCatalog("{").ok, true);
});

test("catalog queries: expand, summary, completion, condition keys, ARN templates", () => {
  wasm.loadCatalog(readFileSync(join(pkgDir, "catalog.json"), "utf8"));
  const e = wasm.expand("s3:GetObjectT*");
  assert.equal(e.ok, true, JSON.stringify(e));
  const tagging = e.actions.find((a) => a.action === "s3:GetObjectTagging");
  assert.ok(tagging, JSON.stringify(e.actions));
  assert.deepEqual(tagging.accessLevels, ["Read"]);
  const seed = JSON.stringify(ipScenario.policies.identity[0], null, 2);
  const s = wasm.summary(seed);
  assert.equal(s.ok, true, JSON.stringify(s));
  assert.ok(s.services.length > 0 && s.services[0].levels.every((l) => ["Full", "Partial"].includes(l.coverage)));
  const c = wasm.completeActions("s3:GetOb");
  assert.ok(c.items.some((i) => i.label === "s3:GetObject" && i.kind === "action" && i.detail === "Read"), JSON.stringify(c));
  assert.ok(wasm.completeActions("s").items.some((i) => i.label === "s3:" && i.kind === "service"));
  const k = wasm.conditionKeys(["s3:GetObject"], "aws:SourceI");
  assert.ok(k.items.some((i) => i.label === "aws:SourceIp" && i.detail === "IPAddress"), JSON.stringify(k));
  assert.ok(wasm.conditionKeys(["s3:GetObject"], "s3:").items.length > 0);
  const a = wasm.arnTemplates("s3:GetObject");
  assert.ok(a.items.some((i) => i.label.includes("${BucketName}/${ObjectName}")), JSON.stringify(a));
  // errors as values
  assert.equal(wasm.summary("{").ok, false);
  assert.equal(wasm.summary("{}", "banana").ok, false);
  assert.deepEqual(wasm.expand("nope:*").actions, []);
});

test("errors come back as values, never thrown", () => {
  const failures = {
    "unknown kind": () => wasm.parse("{}", "banana"),
    "invalid JSON": () => wasm.check("{ nope"),
    "unknown field": () => wasm.check({ policies: {}, requestz: [] }),
    "undefined": () => wasm.check(undefined),
    "null": () => wasm.simulate(null),
    "a number": () => wasm.simulate(42),
    "a cycle": () => {
      const o = { policies: {} };
      o.self = o;
      return wasm.simulate(o);
    },
    "a BigInt": () => wasm.check({ policies: {}, format: 1n }),
    "share: not a link": () => wasm.readShareFragment("#top"),
    "share: damaged": () => wasm.readShareFragment("s=1.AAAA"),
    "share: newer version": () => wasm.readShareFragment("s=7.abc"),
    "share: invalid scenario": () => wasm.shareFragment({ requests: [] }),
  };
  for (const [what, call] of Object.entries(failures)) {
    let r;
    assert.doesNotThrow(() => (r = call()), what);
    assert.equal(r.ok, false, what);
    assert.equal(typeof r.error, "string", what);
    assert.ok(r.error.length > 0, what);
    assert.ok(Array.isArray(r.diagnostics), what);
  }
  const bad = wasm.check('{\n  "policies": {},\n  "requestz": []\n}');
  assert.equal(bad.diagnostics[0].span.start.line, 3);
  assert.match(bad.error, /line 3, column 3/);
  assert.match(wasm.parse("{}", "banana").error, /unknown policy kind "banana"/);
});

test("a request that cannot be evaluated is a result with an error, not a failure", () => {
  const s = structuredClone(ipScenario);
  s.requests = [{ principal: "arn:aws:iam::111122223333:user/alice", action: "imagebuilder:GetComponent", resource: "" }];
  const out = wasm.simulate(s);
  assert.equal(out.ok, true);
  assert.equal(out.results[0].decision, null);
  assert.match(out.results[0].error, /resource is empty/);
  assert.equal(out.results[0].authorization, null);
  assert.equal(out.results[0].explanation, null);
  assert.equal(out.failed, 1);
});

test("an invalid policy in a scenario: diagnostics in policies[], errors in results", () => {
  const s = structuredClone(ipScenario);
  s.policies.identity = ['{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Alow", "Action": "*", "Resource": "*" } ]\n}'];
  const out = wasm.simulate(s);
  assert.equal(out.ok, true);
  assert.equal(out.policies[0].ok, false);
  assert.equal(out.policies[0].diagnostics[0].span.start.line, 3);
  assert.match(out.results[0].error, /^AWS would refuse to store policy identity\/0 \(1 problem\)/);
  // For people: the policy's label, and each problem with its class, in rejectedPolicies.
  assert.equal(out.results[0].rejection, "AWS would refuse to store identity policy 1, so the request is not evaluated.");
  assert.equal(out.results[0].rejectedPolicies[0].policy, "identity/0");
  assert.equal(out.results[0].rejectedPolicies[0].diagnostics[0].class, "rejected");
  assert.equal(out.policies[0].title, "Identity policy 1");
});

test("simulate explains conditions in words", () => {
  const s = structuredClone(ipScenario);
  const out = wasm.simulate(s);
  const excluded = out.results[1];
  assert.equal(excluded.decision, "implicitDeny");
  const st = excluded.explanation.layers[0].policies[0].statements[0];
  assert.equal(st.sid, "IPAllow");
  assert.equal(st.applies, false);
  assert.deepEqual(
    st.conditions.map((c) => [c.ok, c.sentence]),
    [
      [true, "aws:SourceIp 54.240.143.188 is inside 54.240.143.0/24, so IpAddress is true"],
      [false, "aws:SourceIp 54.240.143.188 is inside 54.240.143.188/32, so NotIpAddress is false"],
    ],
  );
  assert.match(excluded.explanation.decision, /^The request is implicitly denied/);
  // The statement that would have allowed it but for a condition, in the engine's words.
  assert.equal(excluded.explanation.nearMisses.length, 1);
  assert.match(excluded.explanation.nearMisses[0].sentence, /^statement 0 "IPAllow" of identity policy 1 would allow it, but aws:SourceIp/);
  assert.equal(excluded.explanation.layers[0].title, "Identity policies");
  assert.equal(st.label, 'statement 0 "IPAllow"');
  // The trace is there too, with source positions of the policy's pretty-printed text.
  const trace = excluded.authorization.layers[0].policies[0].statements[0];
  assert.equal(trace.conditions[1].operator, "NotIpAddress");
  const text = out.policies[0].text.split("\n");
  const at = trace.conditions[1].operatorSpan.start;
  assert.equal(text[at.line - 1].slice(at.column - 1, at.column - 1 + '"NotIpAddress"'.length), '"NotIpAddress"');
});

test("share fragments round-trip", () => {
  const r = wasm.shareFragment(ipScenario);
  assert.equal(r.ok, true);
  assert.match(r.fragment, /^s=1\.[A-Za-z0-9_-]+$/);
  assert.ok(r.fragment.length < JSON.stringify(ipScenario).length);
  const back = wasm.readShareFragment("#" + r.fragment);
  assert.equal(back.ok, true);
  assert.deepEqual(back.scenario, ipScenario);
  // Text in, the same link out.
  assert.equal(wasm.shareFragment(JSON.stringify(ipScenario)).fragment, r.fragment);
});

test("shareText: what a link carries, compressed by any raw DEFLATE (here zlib's), reads back", () => {
  const t = wasm.shareText(ipScenario);
  assert.equal(t.ok, true);
  assert.equal(t.prefix, "s=1.");
  // Another compressor (zlib, as browsers' CompressionStream) makes a link the engine reads ...
  const fragment = t.prefix + deflateRawSync(Buffer.from(t.json), { level: 9 }).toString("base64url");
  const back = wasm.readShareFragment(fragment);
  assert.equal(back.ok, true, back.error);
  assert.deepEqual(back.scenario, ipScenario);
  // ... and the engine's own links inflate to the same text with zlib.
  const own = wasm.shareFragment(ipScenario).fragment;
  assert.equal(inflateRawSync(Buffer.from(own.slice(t.prefix.length), "base64url")).toString(), t.json);
  assert.equal(wasm.shareText({ requests: [] }).ok, false);
});

test("version", () => {
  assert.match(wasm.version(), /^\d+\.\d+\.\d+/);
});
