// Conformance driver for the Node binding (see README.md here).
import { createInterface } from 'node:readline'

import { sign, verify, Signer } from '../../../bindings-node/index.js'
import { jsValue } from '../../../bindings-node/__test__/helpers.mjs'

function signCases(cases) {
  const keys = cases.map((c) => jsValue(c.key))
  const ids = cases.map((c) => jsValue(c.id))
  const results = keys.map((key, i) => [sign(key, ids[i]), new Signer(key).sign(ids[i])])
  const byKey = new Map()
  keys.forEach((key, i) => {
    const name = Buffer.from(key).toString('hex')
    if (!byKey.has(name)) byKey.set(name, { key, indexes: [] })
    byKey.get(name).indexes.push(i)
  })
  for (const { key, indexes } of byKey.values()) {
    new Signer(key).signMany(indexes.map((i) => ids[i])).forEach((s, j) => results[indexes[j]].push(s))
  }
  return results
}

function verifyCases(cases) {
  return cases.map((c) => c.signatures.map((s) => verify(jsValue(c.key), jsValue(c.id), s)))
}

function errorKind(c) {
  try {
    sign(jsValue(c.secret), jsValue(c.user_id))
    return 'signed'
  } catch (error) {
    return (
      { ERR_REFINER_INVALID_SECRET: 'InvalidSecret', ERR_REFINER_INVALID_USER_ID: 'InvalidUserId' }[error.code] ??
      (error instanceof TypeError && error.code === 'ERR_INVALID_ARG_TYPE' ? 'TypeError' : `unexpected ${error}`)
    )
  }
}

function channelValue(tagged) {
  if ('text' in tagged) return tagged.text
  if ('int' in tagged) return Number.isSafeInteger(Number(tagged.int)) ? Number(tagged.int) : BigInt(tagged.int)
  if ('date' in tagged) return tagged.date // Node has no date type: the text renders the same
  if ('ts_ms' in tagged) return new Date(tagged.ts_ms)
  return null
}

const channelMap = (pairs, asMap) => {
  const entries = pairs.map(([name, tagged]) => [name, channelValue(tagged)])
  return asMap ? new Map(entries) : Object.fromEntries(entries)
}

function channelIdentity(c, index) {
  // Plain objects and Maps alternate, so both kinds of trait map are exercised.
  const who = { id: channelValue(c.id), traits: channelMap(c.traits, index % 2 === 1) }
  if (c.email !== undefined) who.email = c.email
  if (c.name !== undefined) who.name = c.name
  return who
}

function linkOptions(c, index) {
  return { locale: c.locale ?? null, tags: c.tags ?? null, response: channelMap(c.response, index % 2 === 0) }
}

function channelCases(cases) {
  const results = cases.map((c, i) => {
    const signer = new Signer(c.key)
    const who = channelIdentity(c, i)
    const nonce = c.nonce ?? null
    return [
      signer.identifyCall(who),
      signer.scriptTag({ ...who, nonce }),
      signer.identifyPayload(who),
      signer.gtmTraits(who),
      signer.gtmScriptTag({ ...who, nonce }),
      signer.surveyLink(c.url, { ...who, ...linkOptions(c, i) }),
    ]
  })
  const groups = new Map()
  cases.forEach((c, i) => {
    const group = JSON.stringify([c.key, c.url])
    if (!groups.has(group)) groups.set(group, [])
    groups.get(group).push(i)
  })
  for (const indexes of groups.values()) {
    const { key, url } = cases[indexes[0]]
    const items = indexes.map((i) => ({ ...channelIdentity(cases[i], i), ...linkOptions(cases[i], i) }))
    new Signer(key).surveyLinks(url, items).forEach((link, j) => results[indexes[j]].push(link))
  }
  return results
}

const ops = { channels: channelCases, sign: signCases, verify: verifyCases, reject: (cases) => cases.map(errorKind) }
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const request = JSON.parse(line)
  process.stdout.write(JSON.stringify({ results: ops[request.op](request.cases) }) + '\n')
}
