// Differential property tests against node:crypto: 11,000 runs in all.
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
