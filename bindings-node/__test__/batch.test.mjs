// signMany and signManyAsync: order, large batches, errors with their index.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Signer } from '../index.js'
import { SECRET, reference } from './helpers.mjs'

const signer = new Signer(SECRET)

function mixedIds(count) {
  return Array.from({ length: count }, (_, i) =>
    [`user-${i}-é`, i * 7919 - 1e6, BigInt(i) * 10n ** 25n + 1n, Buffer.from(`raw-${i}`)][i % 4],
  )
}

for (const count of [0, 1, 17, 4095, 4096, 10_000]) {
  test(`signMany and signManyAsync equal mapping sign (${count} ids)`, async () => {
    const ids = mixedIds(count)
    const expected = ids.map((id) => signer.sign(id))
    assert.deepEqual(signer.signMany(ids), expected)
    assert.deepEqual(await signer.signManyAsync(ids), expected)
  })
}

test('200,000 ids match node:crypto, sync and async', async () => {
  const ids = Array.from({ length: 200_000 }, (_, i) => `user-${i}`)
  const expected = ids.map((id) => reference(SECRET, id))
  assert.deepEqual(signer.signMany(ids), expected)
  assert.deepEqual(await signer.signManyAsync(ids), expected)
})

test('a bad element mid-batch names its index', async () => {
  for (const count of [10, 50_000]) {
    const ids = Array.from({ length: count }, (_, i) => `u${i}`)
    const middle = count / 2
    ids[middle] = ''
    const empty = { code: 'ERR_REFINER_INVALID_USER_ID', message: new RegExp(`index ${middle}\\b`) }
    assert.throws(() => signer.signMany(ids), empty)
    await assert.rejects(signer.signManyAsync(ids), empty)
    ids[middle] = 1.5
    const wrongType = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: new RegExp(`userIds\\[${middle}\\]`) }
    assert.throws(() => signer.signMany(ids), wrongType)
    assert.throws(() => signer.signManyAsync(ids), wrongType)
  }
})

test('signMany needs an array', () => {
  assert.throws(() => signer.signMany('abc'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
})

test('all-string batches (joined fast path) sign like crypto, surrogates included', () => {
  const cases = [
    ['a', 'é', '山', '😀', 'x'.repeat(300), 'é'.repeat(300), 'z'],
    ['\ud83d', '\ude00'], // a pair split across two ids: each half is a lone surrogate
    ['a\ud83d', '\ude00b', '\ud83d\ude00'],
    ['\udfff', '\ud800', 'ok'],
    Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? '\ud800' : `id-${i}-😀`)),
  ]
  for (const ids of cases) {
    assert.deepEqual(signer.signMany(ids), ids.map((id) => reference(SECRET, id)))
  }
  assert.throws(() => signer.signMany(['a', '', 'b']), { code: 'ERR_REFINER_INVALID_USER_ID', message: /index 1\b/ })
})
