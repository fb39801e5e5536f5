// Known disagreement classes between our engine and the peer. Each is a rule (a predicate over the
// generated case and the two answers), documented in LEDGER.md under the same id. A disagreement
// that matches none fails the run.
//
// row = { scenario, request, ours, peer, error, starOnly }: ours/peer are allowed | implicitDeny |
// explicitDeny; ours can also be `error` (the CLI could not evaluate: `error` holds the message).
// A class with `onError: true` explains only rows where ours is an error; the others only rows where
// both engines decided. starOnly: the action supports no resource-level permissions (peer's data).

const stmts = (p) => (!p ? [] : Array.isArray(p.Statement) ? p.Statement : p.Statement ? [p.Statement] : [])
const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const layers = (s) => {
  const p = s.policies
  return [
    ...(p.identity || []),
    ...[p.resource, p.permissionsBoundary, p.session].filter(Boolean),
    ...(p.scps || []).flat(),
    ...(p.rcps || []).flat(),
    ...(p.vpcEndpoint || [])
  ]
}
const allStatements = (s) => layers(s).flatMap(stmts)
/** Case-insensitive match of an action against a pattern with * and ?. */
function actionMatches(pattern, action) {
  if (typeof pattern !== 'string') return false
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i')
  return re.test(action)
}
/** The statements whose Action/NotAction covers the request's action: the ones that can decide it. */
const relevant = (r) =>
  allStatements(r.scenario).filter((st) =>
    'NotAction' in st ? !list(st.NotAction).some((p) => actionMatches(p, r.request.action)) : list(st.Action).some((p) => actionMatches(p, r.request.action))
  )
const conditionValues = (st, opTest) =>
  Object.entries(st.Condition || {})
    .filter(([op]) => opTest(op))
    .flatMap(([, block]) => Object.values(block).flatMap(list))

/** The identities AWS checks for a caller, in the documented order (NotPrincipal key points). */
function identities(principal) {
  if (principal === 'anonymous' || !principal.startsWith('arn:')) return []
  const [, , , , acct, rest] = principal.split(':')
  const ids = [acct, `arn:aws:iam::${acct}:root`]
  const session = /^assumed-role\/([^/]+)\//.exec(rest)
  if (session) ids.push(`arn:aws:iam::${acct}:role/${session[1]}`)
  ids.push(principal)
  return ids
}

const resourcePatterns = (st) => [...list(st.Resource), ...list(st.NotResource)].filter((v) => typeof v === 'string')
/** The resource part of an ARN pattern: everything after the fifth colon. */
const resourcePart = (arn) => arn.split(':').slice(5).join(':')
const dateOp = (op) => /(^|:)Date[A-Za-z]*$/.test(op)
const SERVICE = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/

export const CLASSES = [
  {
    id: 'bool-with-variable',
    onError: true,
    verdict: 'the peer substitutes variables in Bool (AWS: only string and ARN operators); we refuse the policy',
    test: (r) =>
      r.ours === 'error' &&
      /Bool expects true or false, but "\$\{/.test(r.error || '') &&
      allStatements(r.scenario).some((st) => conditionValues(st, (op) => /(^|:)Bool(IfExists)?$/.test(op)).some((v) => String(v).includes('${')))
  },
  {
    id: 'get-caller-identity',
    verdict: 'AWS rule, our engine is wrong: fix here',
    test: (r) => r.request.action.toLowerCase() === 'sts:getcalleridentity' && r.peer === 'allowed'
  },
  {
    id: 'variable-outside-resource-part',
    verdict: 'AWS rule, our engine is wrong (substitutes ${...} in the region/account part of an ARN): fix here',
    test: (r) =>
      relevant(r).some((st) => resourcePatterns(st).some((p) => p.startsWith('arn:') && p.split(':').slice(0, 5).some((seg) => seg.includes('${'))))
  },
  {
    id: 'date-epoch-digits',
    verdict: 'the peer departs from AWS: it reads an all-digit date (epoch seconds) as milliseconds',
    test: (r) => {
      const ctx = r.request.context || {}
      const lower = Object.fromEntries(Object.entries(ctx).map(([k, v]) => [k.toLowerCase(), v]))
      return relevant(r).some((st) =>
        Object.entries(st.Condition || {}).some(
          ([op, block]) =>
            dateOp(op) &&
            Object.entries(block).some(([key, vals]) => [...list(vals), ...list(lower[key.toLowerCase()])].some((v) => /^\d+$/.test(String(v))))
        )
      )
    }
  },
  {
    id: 'wildcard-in-resource-type',
    verdict: 'the peer departs from AWS: a * or ? inside the resource-type word of an ARN (":?nstance/…") never matches there',
    test: (r) =>
      relevant(r).some((st) =>
        resourcePatterns(st).some((p) => {
          const head = /^([^/:]*)[/:]/.exec(resourcePart(p))
          return !!head && /[*?]/.test(head[1])
        })
      )
  },
  {
    id: 'no-identity-policies-for-service-or-anonymous',
    verdict: 'outside the model: an AWS service principal or an anonymous caller has no identity-based policies, boundary, session policy or SCPs; we ignore them, the peer applies them',
    test: (r) => {
      const p = r.scenario.policies
      const principalSide = (p.identity || []).length || p.permissionsBoundary || p.session || (p.scps || []).length
      return !!principalSide && (r.request.principal === 'anonymous' || SERVICE.test(r.request.principal))
    }
  },
  {
    id: 'assume-role-without-trust-policy',
    verdict: 'the peer departs from AWS: every role has a trust policy that must allow sts:AssumeRole; the peer lets an identity policy alone suffice when none is given',
    test: (r) => /^sts:assumerole/.test(r.request.action.toLowerCase()) && !r.scenario.policies.resource && r.ours === 'implicitDeny' && r.peer === 'allowed'
  },
  {
    id: 'session-arn-grant-with-session-policy',
    verdict: 'the peer departs from AWS: a resource-policy grant to the session\'s own ARN is not limited by the session policy',
    test: (r) =>
      !!r.scenario.policies.session &&
      stmts(r.scenario.policies.resource).some((st) => st.Effect === 'Allow' && st.Principal && typeof st.Principal === 'object' && list(st.Principal.AWS).includes(r.request.principal))
  },
  {
    id: 'star-principal-with-session-policy',
    verdict: 'undocumented: our choice (README) is that "Principal": "*" names the caller itself, so a session policy does not limit that grant; the peer limits it',
    test: (r) =>
      !!r.scenario.policies.session &&
      stmts(r.scenario.policies.resource).some((st) => st.Effect === 'Allow' && (st.Principal === '*' || (st.Principal && list(st.Principal.AWS).includes('*'))))
  },
  {
    id: 'ip-family-mismatch',
    verdict: 'undocumented edge: an IPv6 caller against an IPv4 range (or the reverse) is "not in" the range for NotIpAddress with us; the peer answers neither',
    test: (r) => {
      const ip = (r.request.context || {})['aws:SourceIp']
      if (typeof ip !== 'string') return false
      const v6 = ip.includes(':')
      return relevant(r).some((st) =>
        conditionValues(st, (op) => /IpAddress/.test(op)).some((v) => String(v).includes(':') !== v6)
      )
    }
  },
  {
    id: 'kms-no-key-resource',
    verdict: 'AWS rule, our engine is wrong: a KMS action on "*" (ListKeys, ...) needs only an IAM policy, no key policy: fix here',
    test: (r) => r.request.action.toLowerCase().startsWith('kms:') && r.request.resource === '*' && r.ours === 'implicitDeny' && r.peer === 'allowed'
  },
  {
    id: 'star-request-resource',
    verdict: 'the peer\'s convention: a "*" request resource for an action that has resource types matches any Resource pattern; a real request names its resource',
    test: (r) => r.request.resource === '*' && !r.starOnly
  },
  {
    id: 'notprincipal-aws-star',
    verdict: 'AWS rule, our engine is wrong: Deny + NotPrincipal {"AWS": "*"} exempts every signed-in caller: fix here',
    test: (r) =>
      r.request.principal !== 'anonymous' &&
      relevant(r).some((st) => st.Effect === 'Deny' && st.NotPrincipal && typeof st.NotPrincipal === 'object' && list(st.NotPrincipal.AWS).includes('*'))
  },
  {
    id: 'role-arn-caller-with-boundary',
    verdict: 'AWS rule (and our README), our engine is wrong: a resource-policy grant to a role ARN is limited by the role\'s permissions boundary, also when the caller is given as the role ARN: fix here',
    test: (r) =>
      /^arn:aws:iam::\d{12}:role\//.test(r.request.principal) &&
      !!r.scenario.policies.permissionsBoundary &&
      stmts(r.scenario.policies.resource).some((st) => st.Principal && typeof st.Principal === 'object' && list(st.Principal.AWS).includes(r.request.principal))
  },
  {
    id: 'vpce-principal-ignored',
    verdict: 'the peer departs from AWS: it ignores the Principal of VPC endpoint policy statements',
    test: (r) => (r.scenario.policies.vpcEndpoint || []).flatMap(stmts).some((st) => st.Principal && st.Principal !== '*' && !list(st.Principal.AWS).includes('*'))
  },
  {
    id: 'cidr-zero-prefix',
    verdict: 'the peer departs from AWS: 0.0.0.0/0 contains every IPv4 address',
    test: (r) => relevant(r).some((st) => conditionValues(st, (op) => /IpAddress/.test(op)).some((v) => /\/0$/.test(String(v))))
  },
  {
    id: 'set-operator-ifexists-absent-key',
    verdict: 'undocumented: ForAllValues/ForAnyValue combined with ...IfExists on an absent key; IfExists wins with us (true), ForAnyValue wins with the peer (false)',
    test: (r) => {
      const ctx = Object.keys(r.request.context || {}).map((k) => k.toLowerCase())
      return relevant(r).some((st) =>
        Object.entries(st.Condition || {}).some(([op, block]) => /^For(All|Any)Value:.*IfExists$/.test(op) && Object.keys(block).some((k) => !ctx.includes(k.toLowerCase())))
      )
    }
  },
  {
    id: 'variable-without-value',
    verdict: 'AWS: "If AWS cannot resolve a variable this might cause the entire statement to be invalid"; our engine lets the statement not apply, the peer evaluates it (re-check after the engine fix for variables with no value)',
    test: (r) => {
      const ctx = new Set(Object.keys(r.request.context || {}).map((k) => k.toLowerCase()))
      return relevant(r).some((st) => {
        const texts = [...resourcePatterns(st), ...Object.values(st.Condition || {}).flatMap((b) => Object.values(b).flatMap(list)).map(String)]
        return texts.some((t) => [...t.matchAll(/\$\{([^}]*)\}/g)].some(([, body]) => !body.includes(',') && !['*', '?', '$'].includes(body) && !ctx.has(body.trim().toLowerCase())))
      })
    }
  },
  {
    id: 'rcp-service-principal',
    verdict: 'our engine exempts AWS service principals from RCPs (README); the peer applies RCPs to them (under review with the engine\'s RCP work)',
    test: (r) => SERVICE.test(r.request.principal) && (r.scenario.policies.rcps || []).length > 0
  },
  {
    id: 'variable-in-condition-arn-account',
    verdict: 'the peer departs from AWS: it does not substitute a variable in the account or region part of an Arn* condition value',
    test: (r) =>
      relevant(r).some((st) =>
        conditionValues(st, (op) => /Arn/.test(op)).some((v) => String(v).startsWith('arn:') && String(v).split(':').slice(0, 5).some((seg) => seg.includes('${')))
      )
  },
  {
    id: 'federated-user-is-not-iam-user',
    verdict: 'the peer departs from AWS: a federated user session (sts:…:federated-user/NAME) is not the IAM user NAME',
    test: (r) => {
      const m = /^arn:aws:sts::(\d{12}):federated-user\/(.+)$/.exec(r.request.principal)
      if (!m) return false
      return relevant(r).some((st) =>
        [st.Principal, st.NotPrincipal].some((p) => p && typeof p === 'object' && list(p.AWS).some((a) => typeof a === 'string' && a.includes(':user/') && a.endsWith(`/${m[2]}`)))
      )
    }
  },
  {
    id: 'variables-in-version-2008',
    verdict: 'the peer departs from AWS: under Version 2008-10-17 (or none) ${...} is plain text, the peer substitutes it',
    test: (r) =>
      layers(r.scenario).some((p) => p.Version !== '2012-10-17' && stmts(p).some((st) => relevant(r).includes(st) && JSON.stringify([st.Resource, st.NotResource, st.Condition]).includes('${')))
  },
  {
    id: 'notprincipal-with-allow',
    verdict: 'AWS does not support NotPrincipal with Allow; we exclude a caller only with its account (as for Deny), the peer excludes the named ARN alone',
    test: (r) => relevant(r).some((st) => st.Effect === 'Allow' && 'NotPrincipal' in st)
  },
  {
    id: 'empty-multivalued-key',
    verdict: 'undocumented: a multivalued context key sent as an empty list; we treat it as absent (Null is true), the peer as present',
    test: (r) => {
      const empty = Object.entries(r.request.context || {}).filter(([, v]) => Array.isArray(v) && v.length === 0).map(([k]) => k.toLowerCase())
      return empty.length > 0 && relevant(r).some((st) => Object.values(st.Condition || {}).some((b) => Object.keys(b).some((k) => empty.includes(k.toLowerCase()))))
    }
  },
  {
    id: 'root-user',
    verdict: 'the peer departs from AWS: the root user has full access in its account, and identity-based policies cannot be attached to it',
    test: (r) => /^arn:aws:iam::\d{12}:root$/.test(r.request.principal)
  },
  {
    id: 'notprincipal-exclusion',
    verdict: 'the peer departs from AWS: NotPrincipal excludes a caller only when its account (and role) are listed too',
    test: (r) => {
      const ids = identities(r.request.principal)
      return relevant(r).some((st) => {
        if (!st.NotPrincipal) return false
        if (st.NotPrincipal === '*') return false
        const listed = new Set(list(st.NotPrincipal.AWS))
        if (r.request.principal === 'anonymous') return listed.has('*')
        const sessionRole = /:assumed-role\/([^/]+)\//.exec(r.request.principal)
        const roleByName = sessionRole && [...listed].some((p) => typeof p === 'string' && p.endsWith(`/${sessionRole[1]}`) && p.includes(':role/'))
        const hits = ids.filter((id) => listed.has(id)).length + (roleByName ? 1 : 0)
        return hits > 0 && !ids.every((id) => listed.has(id) || (/^\d{12}$/.test(id) && listed.has(`arn:aws:iam::${id}:root`)) || (id.endsWith(':root') && listed.has(id.split(':')[4])))
      })
    }
  }
]
