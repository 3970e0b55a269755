// surveyLinks and surveyLinksAsync: order, the parallel engine (20,000
// identities), the first bad index, values read on the call.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Signer } from '../index.js'
import * as reference from './channels-reference.mjs'
import { SECRET } from './helpers.mjs'

const signer = new Signer(SECRET)
const SURVEY = 'https://survey.example/s/abc?src=mail#q1'

function identities(count) {
  return Array.from({ length: count }, (_, i) => {
    const identity = { id: [`user-${i}-é`, i * 7919 - 1e6, BigInt(i) * 10n ** 25n + 1n][i % 3] }
    if (i % 2) identity.email = `u${i}@example.com`
    if (i % 5) identity.traits = i % 4 ? { plan: `p<${i}>`, seats: i % 1000, at: new Date(i * 1e9) } : new Map([['n', i]])
    if (i % 7 === 0) Object.assign(identity, { locale: 'fr', tags: ['a', `t ${i}`], response: { q: '✓' } })
    return identity
  })
}

for (const count of [0, 1, 17, 4095, 4096, 4097, 20_000]) {
  test(`${count} identities: surveyLinks and surveyLinksAsync equal surveyLink and the reference, in order`, async () => {
    const batch = identities(count)
    const expected = batch.map((identity) => reference.surveyLink(SECRET, SURVEY, identity))
    assert.deepEqual(batch.map((identity) => signer.surveyLink(SURVEY, identity)), expected)
    assert.deepEqual(signer.surveyLinks(SURVEY, batch), expected)
    assert.deepEqual(await signer.surveyLinksAsync(SURVEY, batch), expected)
  })
}

test('quotes and backslashes in the base SURVEY survive the result array', async () => {
  const url = 'https://survey.example/s"x\\y?a="b"#"f\\'
  const batch = identities(5)
  const expected = batch.map((identity) => reference.surveyLink(SECRET, url, identity))
  assert.deepEqual(signer.surveyLinks(url, batch), expected)
  assert.deepEqual(await signer.surveyLinksAsync(url, batch), expected)
})

test('the first bad identity is named, whichever check finds it', async () => {
  for (const count of [10, 20_000]) {
    const batch = identities(count)
    const middle = count / 2
    const late = count - 2
    batch[middle] = { id: 'u', traits: { 'bad name': 1 } }
    const core = { code: 'ERR_REFINER_INVALID_TRAIT', message: new RegExp(`^at index ${middle}: invalid trait "bad name"`) }
    assert.throws(() => signer.surveyLinks(SURVEY, batch), core)
    await assert.rejects(signer.surveyLinksAsync(SURVEY, batch), core)
    // A wrong type later on does not hide the earlier bad value.
    batch[late] = { id: 'u', unknown: 1 }
    assert.throws(() => signer.surveyLinks(SURVEY, batch), core)
    await assert.rejects(signer.surveyLinksAsync(SURVEY, batch), core)
    // Alone, the wrong type throws synchronously, naming its index.
    batch[middle] = { id: 'fine' }
    const wrongType = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: new RegExp(`^identities\\[${late}\\] has an unknown key "unknown"`) }
    assert.throws(() => signer.surveyLinks(SURVEY, batch), wrongType)
    assert.throws(() => signer.surveyLinksAsync(SURVEY, batch), wrongType)
    // A value the binding refuses (a boolean trait) names its index too.
    batch[late] = { id: 'u', traits: { flag: false } }
    const binding = { code: 'ERR_REFINER_INVALID_TRAIT', message: new RegExp(`^at index ${late}: invalid trait "flag"`) }
    assert.throws(() => signer.surveyLinks(SURVEY, batch), binding)
    await assert.rejects(signer.surveyLinksAsync(SURVEY, batch), binding)
    batch[late] = { id: '' }
    const emptyId = { code: 'ERR_REFINER_INVALID_USER_ID', message: new RegExp(`index ${late}\\b`) }
    assert.throws(() => signer.surveyLinks(SURVEY, batch), emptyId)
    await assert.rejects(signer.surveyLinksAsync(SURVEY, batch), emptyId)
  }
})

test('arguments of the wrong shape', async () => {
  for (const bad of [undefined, 'x', { length: 1, 0: { id: 'u' } }, new Set()]) {
    assert.throws(() => signer.surveyLinks(SURVEY, bad), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /^identities must be an array/ })
    assert.throws(() => signer.surveyLinksAsync(SURVEY, bad), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
  }
  assert.throws(() => signer.surveyLinks(SURVEY, [{ id: 'u' }, 'v']), { name: 'TypeError', message: /^identities\[1\] must be an object/ })
  assert.throws(() => signer.surveyLinks(5, []), { name: 'TypeError', message: /^url must be a string/ })
  await assert.rejects(signer.surveyLinksAsync('ftp://x', []), { code: 'ERR_REFINER_INVALID_OPTION', message: /survey url/ })
})

test('surveyLinksAsync reads every value on the call', async () => {
  const traits = { plan: 'before' }
  const bytes = new Uint8Array(Buffer.from('raw-id'))
  const batch = [{ id: 'a', traits }, { id: bytes }]
  const pending = signer.surveyLinksAsync(SURVEY, batch)
  traits.plan = 'after'
  bytes[0] = 0x5a
  batch[1] = { id: 'replaced' }
  batch.push({ id: 'added' })
  const expected = [
    reference.surveyLink(SECRET, SURVEY, { id: 'a', traits: { plan: 'before' } }),
    reference.surveyLink(SECRET, SURVEY, { id: 'raw-id' }),
  ]
  assert.deepEqual(await pending, expected)
})

test('worker threads render with their own captured built-ins', async () => {
  const { Worker } = await import('node:worker_threads')
  const source = `
const { parentPort, workerData } = require('node:worker_threads')
const { Signer } = require(workerData.modulePath)
const signer = new Signer(workerData.secret)
const identity = { id: 'w', traits: new Map([['n', workerData.n]]) }
signer.surveyLinksAsync(workerData.url, [identity]).then((links) =>
  parentPort.postMessage([signer.identifyCall(identity), signer.identifyPayload(identity), links[0]]))
`
  const modulePath = new URL('../index.js', import.meta.url).pathname
  const results = await Promise.all(
    [1, 2, 3].map(
      (n) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(source, { eval: true, workerData: { modulePath, secret: SECRET, url: SURVEY, n } })
          worker.once('message', resolve)
          worker.once('error', reject)
        }),
    ),
  )
  for (const [index, [call, payload, link]] of results.entries()) {
    const identity = { id: 'w', traits: { n: index + 1 } }
    assert.equal(call, reference.identifyCall(SECRET, identity))
    assert.deepEqual(payload, reference.identifyPayload(SECRET, identity))
    assert.equal(link, reference.surveyLink(SECRET, SURVEY, identity))
  }
})

test('a getter throwing later in the batch propagates its own error, even after a bad identity', async () => {
  const boom = new Error('boom')
  const batch = [{ id: 'ok' }, { id: 'u', traits: { 'bad name': 1 } }, { id: 'x', get email() { throw boom } }]
  assert.throws(() => signer.surveyLinks(SURVEY, batch), (error) => error === boom)
  assert.throws(() => signer.surveyLinksAsync(SURVEY, batch), (error) => error === boom)
})
