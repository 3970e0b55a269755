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

const ops = { sign: signCases, verify: verifyCases, reject: (cases) => cases.map(errorKind) }
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const request = JSON.parse(line)
  process.stdout.write(JSON.stringify({ results: ops[request.op](request.cases) }) + '\n')
}
