// Every case of the shared vectors file (signatures from the reference snippets).
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { sign, verify, Signer } from '../index.js'
import { jsValue, vectors } from './helpers.mjs'

const ERROR_CODES = {
  InvalidSecret: 'ERR_REFINER_INVALID_SECRET',
  InvalidUserId: 'ERR_REFINER_INVALID_USER_ID',
  TypeError: 'ERR_INVALID_ARG_TYPE',
}

test('the vectors file has at least 150 cases and a rejected section for node', () => {
  assert.ok(vectors.cases.length >= 150)
  assert.ok(vectors.rejected.filter((c) => 'node' in c.expect).length >= 15)
})

for (const testCase of vectors.cases) {
  test(`vector: ${testCase.name}`, () => {
    const secret = jsValue(testCase.secret)
    const userId = jsValue(testCase.user_id)
    const expected = testCase.signature
    const signer = new Signer(secret)
    assert.equal(sign(secret, userId), expected)
    assert.equal(signer.sign(userId), expected)
    assert.deepEqual(signer.signMany([userId, userId]), [expected, expected])
    assert.equal(verify(secret, userId, expected.toUpperCase()), true)
    assert.equal(signer.verify(userId, Buffer.from(expected)), true)
    if (typeof userId === 'bigint' && Number.isSafeInteger(Number(userId))) {
      assert.equal(signer.sign(Number(userId)), expected, 'safe integer as number')
    }
    if (userId instanceof Uint8Array) {
      assert.equal(signer.sign(Buffer.from(userId)), expected, 'Buffer')
    }
  })
}

for (const testCase of vectors.rejected.filter((c) => 'node' in c.expect)) {
  test(`rejected: ${testCase.name}`, async () => {
    const kind = testCase.expect.node
    const expected = { code: ERROR_CODES[kind], constructor: kind === 'TypeError' ? TypeError : Error }
    const secret = jsValue(testCase.secret)
    const userId = jsValue(testCase.user_id)
    assert.throws(() => sign(secret, userId), expected)
    assert.throws(() => verify(secret, userId, '0'.repeat(64)), expected)
    if (kind === 'InvalidSecret' || typeof secret !== 'string') {
      assert.throws(() => new Signer(secret), expected)
      return
    }
    const signer = new Signer(secret)
    assert.throws(() => signer.sign(userId), expected)
    assert.throws(() => signer.signMany(['ok', userId]), { ...expected, message: /(index 1|userIds\[1\])/ })
    if (kind === 'TypeError') {
      assert.throws(() => signer.signManyAsync(['ok', userId]), expected)
    } else {
      await assert.rejects(signer.signManyAsync(['ok', userId]), expected)
    }
  })
}
