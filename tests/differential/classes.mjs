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
/** The relevant statements of policies with Version 2012-10-17 (the only version with policy variables). */
const relevantWithVariables = (r) =>
  layers(r.scenario)
    .filter((p) => p.Version === '2012-10-17')
    .flatMap(stmts)
    .filter((st) => relevant(r).includes(st))
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
const actionOf = (r) => r.request.action.toLowerCase()
/** Does statement `st` cover the request's action (Action/NotAction)? */
const coversAction = (st, action) =>
  'NotAction' in st ? !list(st.NotAction).some((p) => actionMatches(p, action)) : list(st.Action).some((p) => actionMatches(p, action))
/** Resource ARN pattern match as AWS documents it: * and ? (a * may cross colons), a short ARN padded
 * with ":*". Case-sensitive. */
function resourceMatches(pattern, resource) {
  if (pattern === '*') return true
  const parts = pattern.split(':')
  const padded = pattern.startsWith('arn:') && parts.length < 6 ? `${pattern}${':*'.repeat(6 - parts.length)}` : pattern
  return new RegExp(`^${padded.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(resource)
}
/** Whether a statement's Resource/NotResource may cover the resource (true when a variable makes it
 * depend on the request, or when the statement has no Resource element). */
function mayCoverResource(st, resource) {
  const pats = 'NotResource' in st ? list(st.NotResource) : 'Resource' in st ? list(st.Resource) : null
  if (!pats) return true
  if (pats.some((p) => String(p).includes('${'))) return true
  const any = pats.some((p) => resourceMatches(String(p), resource))
  return 'NotResource' in st ? !any : any
}
/** The relevant statements of the identity side: identity policies, boundary, session policy, SCPs. */
const identitySide = (r) => {
  const p = r.scenario.policies
  return [...(p.identity || []), p.permissionsBoundary, p.session, ...(p.scps || []).flat()]
    .filter(Boolean)
    .flatMap(stmts)
    .filter((st) => coversAction(st, r.request.action))
}
/** The RCP statements whose action covers the request. */
const rcpStatements = (r) => (r.scenario.policies.rcps || []).flat().flatMap(stmts).filter((st) => coversAction(st, r.request.action))

// The services whose actions RCPs apply to, as the AWS Organizations User Guide lists them ("List of
// AWS services that support RCPs", orgs_manage_policies_rcps.html; the engine's authorize.rs
// RCP_SERVICES holds the same list).
const RCP_SERVICES = new Set(
  (
    'aoss appconfig appstream autoscaling autoscaling-plans budgets clouddirectory cloudfront cloudsearch cloudtrail-data ' +
    'codeartifact codebuild codecommit codepipeline cognito-identity cognito-idp comprehend comprehendmedical compute-optimizer ' +
    'cost-optimization-hub dax dsql dynamodb ecr ecr-public events firehose fis fms gamelift health inspector-scan kendra ' +
    'kinesisvideo kms logs memorydb networkmonitor notifications opensearch pca-connector-ad personalize polly pricing ' +
    'resource-groups rolesanywhere s3 secretsmanager servicediscovery signin sqs sts support swf textract timestream-influxdb ' +
    'transcribe transfer translate wafv2 workspaces xray'
  ).split(' ')
)
/** A value holding a policy variable (no default) that the request does not carry. */
const unresolvedIn = (r) => {
  const ctx = new Set(Object.keys(r.request.context || {}).map((k) => k.toLowerCase()))
  return (v) => [...String(v).matchAll(/\$\{([^}]*)\}/g)].some(([, body]) => !body.includes(',') && !['*', '?', '$'].includes(body) && !ctx.has(body.trim().toLowerCase()))
}
/** The peer denied through an RCP Deny that, per AWS, does not govern this request. */
const rcpDenyOnlyWithPeer = (r) => r.peer === 'explicitDeny' && r.ours !== 'explicitDeny' && rcpStatements(r).some((st) => st.Effect === 'Deny')

export const CLASSES = [
  {
    id: 'empty-statement-list',
    onError: true,
    verdict: 'the peer evaluates a policy AWS refuses to store: an empty Statement list is rejected ("Syntax errors in policy."); we report the policy and decide nothing',
    test: (r) =>
      r.ours === 'error' &&
      /the policy has no statements/.test(r.error || '') &&
      layers(r.scenario).some((p) => Array.isArray(p.Statement) && p.Statement.length === 0)
  },
  {
    id: 'operator-case',
    onError: true,
    verdict: 'the peer evaluates a policy AWS refuses to store: condition operator names are case-sensitive ("Invalid Condition type : stringEquals"); the peer reads them in any case, we report the policy',
    test: (r) =>
      r.ours === 'error' &&
      /must be spelled/.test(r.error || '') &&
      allStatements(r.scenario).some((st) => Object.keys(st.Condition || {}).some((op) => /(^|:)[a-z]/.test(op)))
  },
  {
    id: 'action-vendor-wildcard',
    onError: true,
    verdict: 'the peer evaluates a policy AWS refuses to store ("Action vendors (e.g., aws, ec2, etc.) must not contain wildcards."): it lets such an action match nothing, we report the policy',
    test: (r) =>
      r.ours === 'error' &&
      /service prefix of an action cannot hold wildcards/.test(r.error || '') &&
      allStatements(r.scenario).some((st) => [...list(st.Action), ...list(st.NotAction)].some((a) => typeof a === 'string' && /^[^:]*[*?][^:]*:/.test(a)))
  },
  {
    id: 'negated-operator-variable-without-value',
    verdict: 'the peer departs from AWS: a negated string or ARN operator (StringNotEquals, StringNotLike, ArnNotLike, ...) whose value holds a variable with no value in the request matches ("Inverted condition operators ... do match against a null value"); the peer lets it fail',
    test: (r) => {
      const unresolved = unresolvedIn(r)
      return relevantWithVariables(r).some(
        (st) =>
          ((st.Effect === 'Deny' && r.ours === 'explicitDeny' && r.peer !== 'explicitDeny') || (st.Effect === 'Allow' && r.ours === 'allowed' && r.peer !== 'allowed')) &&
          conditionValues(st, (op) => /(^|:)(StringNot|ArnNot)[A-Za-z]*$/.test(op)).some(unresolved)
      )
    }
  },
  {
    id: 'notresource-variable-without-value-named',
    verdict: 'the peer departs from AWS: a NotResource entry whose variable has no value in the request "will not match any resource", so it excludes nothing and the statement applies; the peer lets such an entry exclude a named resource (it reads it so only for a request on *)',
    test: (r) => {
      const unresolved = unresolvedIn(r)
      return relevantWithVariables(r).some(
        (st) =>
          'NotResource' in st &&
          list(st.NotResource).some(unresolved) &&
          ((st.Effect === 'Deny' && r.ours === 'explicitDeny' && r.peer !== 'explicitDeny') || (st.Effect === 'Allow' && r.ours === 'allowed' && r.peer !== 'allowed'))
      )
    }
  },
  {
    id: 'trust-policy-user-boundary',
    verdict: 'the peer departs from AWS: a trust policy naming the caller still needs the caller\'s permissions boundary to allow sts:AssumeRole; the peer lets the trust policy alone allow',
    test: (r) =>
      /^sts:assumerole/.test(actionOf(r)) &&
      r.ours === 'implicitDeny' &&
      r.peer === 'allowed' &&
      !!r.scenario.policies.resource &&
      !!r.scenario.policies.permissionsBoundary &&
      !stmts(r.scenario.policies.permissionsBoundary).some((st) => st.Effect === 'Allow' && coversAction(st, r.request.action) && mayCoverResource(st, r.request.resource))
  },
  {
    id: 'rcp-service-not-listed',
    verdict: 'the peer departs from AWS: RCPs apply only to the services the Organizations guide lists (not sns, ec2, iam, imagebuilder); the peer applies an RCP Deny to any action',
    test: (r) => !RCP_SERVICES.has(actionOf(r).split(':')[0]) && rcpDenyOnlyWithPeer(r)
  },
  {
    id: 'rcp-no-resource',
    verdict: 'the peer departs from AWS: RCPs apply to the resource a request authorizes; a request on "*" (an action with no resource type, e.g. s3:ListAllMyBuckets) names none, so RCPs do not apply; the peer applies an RCP Deny',
    test: (r) => RCP_SERVICES.has(actionOf(r).split(':')[0]) && r.request.resource === '*' && rcpDenyOnlyWithPeer(r)
  },
  {
    id: 'variable-in-bool',
    verdict: 'AWS documents variables only for string and ARN operators (its operator page says Bool supports them: the docs conflict); we read ${...} in Bool as a value of the wrong type, which satisfies nothing; the peer substitutes it',
    test: (r) =>
      relevant(r).some((st) => conditionValues(st, (op) => /(^|:)Bool(IfExists)?$/.test(op)).some((v) => String(v).includes('${')))
  },
  {
    id: 'short-resource-arn',
    verdict: 'the peer departs from AWS: a Resource/NotResource ARN with fewer than six parts ("arn:aws:sqs:us-east-1:*", "arn:aws:s3") reads as padded with ":*" (a segment\'s last * crosses colons); the peer reads it so in an identity policy\'s Resource but not in NotResource or in RCPs',
    test: (r) => relevant(r).some((st) => resourcePatterns(st).some((p) => p.startsWith('arn:') && p.split(':').length < 6))
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
    // The peer's answer comes from those layers: a Deny there, a missing Allow in a boundary or SCP
    // level, or an identity-policy Allow.
    test: (r) => {
      if (!(r.request.principal === 'anonymous' || SERVICE.test(r.request.principal))) return false
      const p = r.scenario.policies
      const side = identitySide(r)
      return (
        (r.peer === 'explicitDeny' && r.ours !== 'explicitDeny' && side.some((st) => st.Effect === 'Deny')) ||
        (r.ours === 'allowed' && r.peer === 'implicitDeny' && (!!p.permissionsBoundary || !!p.session || (p.scps || []).length > 0)) ||
        (r.peer === 'allowed' && r.ours === 'implicitDeny' && side.some((st) => st.Effect === 'Allow'))
      )
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
    id: 'star-request-resource',
    verdict: 'the peer\'s convention: a "*" request resource for an action that has resource types matches any Resource pattern; a real request names its resource',
    test: (r) => r.request.resource === '*' && !r.starOnly
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
    verdict: 'undocumented (AWS does not support NotPrincipal with Allow): we allow every caller whose ARN, role and account are unlisted, as a grant naming the caller (a permissions boundary does not limit it); the peer limits it by the boundary',
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
    // Either we allow where the peer does not (the root user needs no identity-policy Allow), or the
    // peer denies through an identity-side Deny (identity policy, boundary, session policy) that
    // cannot be attached to a root user.
    test: (r) =>
      /^arn:aws:iam::\d{12}:root$/.test(r.request.principal) &&
      ((r.ours === 'allowed' && r.peer !== 'allowed') || (r.peer === 'explicitDeny' && r.ours !== 'explicitDeny' && identitySide(r).some((st) => st.Effect === 'Deny')))
  },
  {
    id: 'notprincipal-exclusion',
    verdict: 'the peer departs from AWS: NotPrincipal excludes a caller only when its account (and role) are listed too; {"AWS": "*"} does not list an anonymous caller or an AWS service',
    test: (r) => {
      const ids = identities(r.request.principal)
      return relevant(r).some((st) => {
        if (!st.NotPrincipal) return false
        if (st.NotPrincipal === '*') return false
        const listed = new Set(list(st.NotPrincipal.AWS))
        // {"AWS": "*"} lists the signed-in AWS principals, not an anonymous caller or a service.
        if (r.request.principal === 'anonymous' || SERVICE.test(r.request.principal)) return listed.has('*') && st.Effect === 'Deny' && r.ours === 'explicitDeny'
        const sessionRole = /:assumed-role\/([^/]+)\//.exec(r.request.principal)
        const roleByName = sessionRole && [...listed].some((p) => typeof p === 'string' && p.endsWith(`/${sessionRole[1]}`) && p.includes(':role/'))
        const hits = ids.filter((id) => listed.has(id)).length + (roleByName ? 1 : 0)
        return hits > 0 && !ids.every((id) => listed.has(id) || (/^\d{12}$/.test(id) && listed.has(`arn:aws:iam::${id}:root`)) || (id.endsWith(':root') && listed.has(id.split(':')[4])))
      })
    }
  }
]
