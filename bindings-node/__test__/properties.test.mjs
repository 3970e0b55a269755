// Differential property tests against node:crypto (single ids and batches).
import assert from 'node:assert/strict'
import { test } from 'node:test'

import fc from 'fast-check'

import { sign, Signer } from '../index.js'
import { reference } from './helpers.mjs'

const KEY = 'fast-check-key'
const signer = new Signer(KEY)
const PADDING = new Set([' ', '\t', '\r', '\n'])

// Full code points, plus raw UTF-16 code units so lone surrogates appear often.
const anyString = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 120 }),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 80 }).map((units) =>
    String.fromCharCode(...units),
  ),
)
const validKey = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 150 })
  .filter((k) => !PADDING.has(k[0]) && !PADDING.has(k[k.length - 1]))

test('strings (lone surrogates included) match createHmac', () => {
  fc.assert(
    fc.property(validKey, anyString, (key, userId) => {
      const expected = reference(key, userId)
      assert.equal(sign(key, userId), expected)
      assert.equal(new Signer(key).sign(userId), expected)
    }),
    { numRuns: 4000 },
  )
})

test('Uint8Arrays match createHmac', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.uint8Array({ minLength: 1, maxLength: 100 }), (id, key) => {
      fc.pre(!PADDING.has(String.fromCharCode(key[0])) && !PADDING.has(String.fromCharCode(key[key.length - 1])))
      assert.equal(sign(key, id), reference(key, id))
      assert.equal(signer.sign(id), reference(KEY, id))
    }),
    { numRuns: 3000 },
  )
})

test('safe integers sign as String(n)', () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), (n) => {
      assert.equal(signer.sign(n), reference(KEY, String(n)))
    }),
    { numRuns: 3000 },
  )
})

test('bigints sign as their decimal', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }), (n) => {
      assert.equal(signer.sign(n), reference(KEY, n.toString()))
    }),
    { numRuns: 1000 },
  )
})

// Any mix of accepted ids, including strings cut inside surrogate pairs.
const anyUserId = fc.oneof(
  anyString,
  fc.uint8Array({ minLength: 1, maxLength: 100 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
)
const expectedOf = (key) => (id) =>
  reference(key, typeof id === 'number' || typeof id === 'bigint' ? String(id) : id)

test('signMany and signManyAsync of mixed batches match createHmac', async () => {
  await fc.assert(
    fc.asyncProperty(validKey, fc.array(anyUserId, { maxLength: 60 }), async (key, ids) => {
      const batchSigner = new Signer(key)
      const expected = ids.map(expectedOf(key))
      assert.deepEqual(batchSigner.signMany(ids), expected)
      assert.deepEqual(await batchSigner.signManyAsync(ids), expected)
    }),
    { numRuns: 1500 },
  )
})

test('long all-string batches (the joined read, across its segments) match createHmac', async () => {
  const unit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u))
  const piece = fc.oneof(fc.constantFrom('\ud83d', '\ude00', '😀', 'é', 'a'), unit)
  const id = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''))
  await fc.assert(
    fc.asyncProperty(fc.array(id, { minLength: 16_000, maxLength: 17_000 }), async (ids) => {
      const expected = ids.map((text) => reference(KEY, text))
      assert.deepEqual(signer.signMany(ids), expected)
      assert.deepEqual(await signer.signManyAsync(ids), expected)
    }),
    { numRuns: 6 },
  )
})
