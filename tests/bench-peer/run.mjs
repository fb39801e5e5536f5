#!/usr/bin/env node
// Times the peer, @cloud-copilot/iam-simulate (a pinned dev dependency of this folder, used only
// for this comparison and never shipped), on the same cases as the engine's `cases` benchmark
// (crates/iam-policy/benches/cases.rs): every request of every scenario file under a folder
// (tests/scenarios by default) whose policies are all written out.
//
//   node tests/bench-peer/run.mjs [--cases DIR] [--seconds S] [--json]
//
// Two figures, each the median over repeated runs of the whole set, divided by the number of cases:
// - once: the scenario's policies loaded once (JSON.parse + the peer's loadPolicy), then each
//   request built and decided by the peer's core `authorize`, called as its own test harness does;
// - each: the policies loaded again for every request, then the request decided.
// The engine's side compiles the same policy texts (objects are pretty-printed first, on both sides).
// Requests whose action or resource is longer than 1,000 characters are left out on both sides:
// they are the corpus's pathological-pattern cases (wildcards.json), which the engine decides in
// linear time and on which the peer's backtracking matcher does not finish.
// `cargo xtask bench` runs this when node_modules is installed (`npm ci` here).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..')
const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt
}
const dir = resolve(opt('--cases', process.env.IAM_BENCH_CASES || join(root, 'tests', 'scenarios')))
const seconds = Number(opt('--seconds', '3'))
const asJson = args.includes('--json')

const { loadPolicy } = await import('@cloud-copilot/iam-policy')
const sim = await import('@cloud-copilot/iam-simulate')
const base = import.meta.resolve('@cloud-copilot/iam-simulate')
const peerModule = (p) => import(new URL(p, base).href)
const { authorize } = await peerModule('./core_engine/CoreSimulatorEngine.js')
const { AwsRequestImpl } = await peerModule('./request/request.js')
const { RequestContextImpl } = await peerModule('./requestContext.js')
const { DiscoveryContextKeyConstraints } = await peerModule('./context_keys/discoveryContextKeyConstraints.js')

// ---- the case set: the scenario files, as the engine's benchmark reads them ----
function scenarioFiles(d, out = []) {
  for (const f of readdirSync(d).sort()) {
    const p = join(d, f)
    if (statSync(p).isDirectory()) scenarioFiles(p, out)
    else if (f.endsWith('.json') && !f.endsWith('.policy.json')) out.push(p)
  }
  return out
}
/** Longer requests are left out (see the top of this file); the same rule as the engine's side. */
const MAX_LEN = 1000
const isManaged = (p) => p && typeof p === 'object' && !Array.isArray(p) && 'managed' in p
/** Every policy of a scenario as text (objects pretty-printed, as the engine's side does). */
function policyTexts(p) {
  const text = (x) => (typeof x === 'string' ? x : JSON.stringify(x, null, 2))
  const levels = (ls) => (ls || []).map((level) => level.map(text))
  return {
    identity: (p.identity || []).map(text),
    resource: p.resource ? text(p.resource) : undefined,
    permissionsBoundary: p.permissionsBoundary ? text(p.permissionsBoundary) : undefined,
    session: p.session ? text(p.session) : undefined,
    scps: levels(p.scps),
    rcps: levels(p.rcps),
    vpcEndpoint: p.vpcEndpoint ? p.vpcEndpoint.map(text) : undefined
  }
}
const scenarios = []
for (const f of scenarioFiles(dir)) {
  const s = JSON.parse(readFileSync(f, 'utf8'))
  const p = s.policies || {}
  const all = [...(p.identity || []), p.resource, p.permissionsBoundary, p.session, ...(p.scps || []).flat(), ...(p.rcps || []).flat(), ...(p.vpcEndpoint || [])]
  if (all.some(isManaged)) continue
  const requests = (s.requests || []).filter((r) => String(r.action).length <= MAX_LEN && String(r.resource).length <= MAX_LEN)
  scenarios.push({ file: f, texts: policyTexts(p), requests })
}

// ---- the peer's inputs ----
const wildcardOnly = new Map()
for (const s of scenarios) {
  for (const r of s.requests) {
    if (r.resource === '*' && !wildcardOnly.has(r.action)) {
      const [svc, name] = String(r.action).split(':')
      // an action the peer's data does not know (a made-up service) is not wildcard-only
      wildcardOnly.set(r.action, await sim.isWildcardOnlyAction(svc, name).catch(() => false))
    }
  }
}
function load(t) {
  const lp = (text, name) => loadPolicy(JSON.parse(text), { name })
  const levels = (ls, kind) => ls.map((level, i) => ({ orgIdentifier: `${kind}-${i}`, policies: level.map((d, j) => lp(d, `${kind}-${i}-${j}`)) }))
  return {
    identityPolicies: t.identity.map((d, i) => lp(d, `identity-${i}`)),
    resourcePolicy: t.resource ? lp(t.resource, 'resource') : undefined,
    permissionBoundaries: t.permissionsBoundary ? [lp(t.permissionsBoundary, 'boundary')] : undefined,
    sessionPolicy: t.session ? lp(t.session, 'session') : undefined,
    serviceControlPolicies: levels(t.scps, 'scp'),
    resourceControlPolicies: levels(t.rcps, 'rcp'),
    vpcEndpointPolicies: t.vpcEndpoint ? t.vpcEndpoint.map((d, i) => lp(d, `vpce-${i}`)) : undefined
  }
}
/** The account that owns the resource, as the engine reads it: the request's `resourceAccount`, else
 * the resource ARN's account, else the caller's. */
const accountOf = (arn) => {
  const p = String(arn).split(':')
  return p.length >= 6 && p[0] === 'arn' && p[4] ? p[4] : undefined
}
const resourceAccount = (r) => r.resourceAccount || accountOf(r.resource) || accountOf(r.principal)
const parameters = { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) }
function decide(r, loaded) {
  try {
    const principal = r.principal === 'anonymous' ? { type: 'Anonymous' } : r.principal
    const request = new AwsRequestImpl(
      principal,
      { resource: r.resource, accountId: resourceAccount(r) },
      r.action,
      new RequestContextImpl(r.context || {}),
      r.resource === '*' && wildcardOnly.get(r.action)
    )
    return authorize({ request, ...loaded, simulationParameters: parameters }).result
  } catch (e) {
    return 'error'
  }
}

// ---- timing ----
let sink = 0
function runOnce(loaded) {
  for (const [i, s] of scenarios.entries()) for (const r of s.requests) sink += decide(r, loaded[i]).length
}
function runEach() {
  for (const s of scenarios) for (const r of s.requests) sink += decide(r, load(s.texts)).length
}
function median(xs) {
  const v = [...xs].sort((a, b) => a - b)
  const m = v.length >> 1
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2
}
/** Median time of one run of `f` over the whole set, in nanoseconds. */
function measure(f) {
  const deadline = Date.now() + seconds * 1000
  for (let i = 0; i < 3; i++) f() // warm up the JIT
  const times = []
  while (times.length < 10 || (Date.now() < deadline && times.length < 10000)) {
    const t0 = process.hrtime.bigint()
    f()
    times.push(Number(process.hrtime.bigint() - t0))
  }
  return { median: median(times), runs: times.length }
}

const cases = scenarios.reduce((n, s) => n + s.requests.length, 0)
const loaded = scenarios.map((s) => load(s.texts))
const DECISION = { Allowed: 'allowed', ImplicitlyDenied: 'implicitDeny', ExplicitlyDenied: 'explicitDeny' }
const decisions = {}
let expected = 0
let agree = 0
for (const [i, s] of scenarios.entries()) for (const r of s.requests) {
  const d = decide(r, loaded[i])
  decisions[d] = (decisions[d] || 0) + 1
  if (r.expect) {
    expected++
    if (DECISION[d] === r.expect) agree++
  }
}
const once = measure(() => runOnce(loaded))
const each = measure(runEach)
const result = {
  peer: '@cloud-copilot/iam-simulate 0.1.173',
  cases,
  scenarios: scenarios.length,
  dir,
  decisions,
  expected,
  agree,
  onceNsPerCase: once.median / cases,
  eachNsPerCase: each.median / cases,
  runs: { once: once.runs, each: each.runs },
  node: process.version,
  sink
}
if (asJson) {
  console.log(JSON.stringify(result))
} else {
  const us = (ns) => `${(ns / 1000).toFixed(2)} µs`
  console.log(`peer ${result.peer} on ${cases} cases (${scenarios.length} scenario files under ${dir}), node ${process.version}`)
  console.log(`  decisions: ${JSON.stringify(decisions)}; ${agree} of ${expected} as the files expect`)
  console.log(`  policies loaded once:         ${us(result.onceNsPerCase)} per case (median of ${once.runs} runs)`)
  console.log(`  policies loaded for each case: ${us(result.eachNsPerCase)} per case (median of ${each.runs} runs)`)
}
