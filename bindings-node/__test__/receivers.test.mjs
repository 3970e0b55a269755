// Signer.prototype.sign checks a receiver's type tag once per thread, then
// knows it by its wrapped pointer (src/tagged_signers.rs); a collected Signer
// leaves that list. These tests churn instances past the list's capacity and
// through garbage collections, and check that every instance still signs with
// its own key and that nothing else is ever taken for a Signer.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import v8 from 'node:v8'
import vm from 'node:vm'

import { reference } from './helpers.mjs'

const { Signer, sign } = createRequire(import.meta.url)('../index.js')
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc')
const wrong = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }

test('many signers, made and collected in turn, each sign with their own key', () => {
  for (let round = 0; round < 20; round++) {
    const signers = Array.from({ length: 40 }, (_, i) => [`key-${round}-${i}`, new Signer(`key-${round}-${i}`)])
    for (const [key, signer] of signers) {
      assert.equal(signer.sign('user-1'), reference(key, 'user-1'), key)
      assert.equal(Signer.prototype.sign.call(signer, 42), reference(key, '42'), key)
    }
    gc()
    assert.throws(() => Signer.prototype.sign.call({}, 'x'), wrong)
  }
})

test('a known signer does not make lookalikes known', () => {
  const signer = new Signer('k')
  assert.equal(signer.sign('abc'), sign('k', 'abc'))
  for (const lookalike of [
    {},
    Object.create(Signer.prototype),
    Object.assign(Object.create(Signer.prototype), signer),
    new Proxy(signer, {}),
    structuredClone({ a: 1 }),
    [],
    () => {},
  ]) {
    assert.throws(() => Signer.prototype.sign.call(lookalike, 'x'), wrong)
    assert.throws(() => Signer.prototype.identifyCall.call(lookalike, { id: 'x' }), wrong)
  }
  for (const primitive of [undefined, null, 1, 'k', Symbol('s'), 1n, true]) {
    assert.throws(() => Signer.prototype.sign.call(primitive, 'x'), wrong)
  }
  assert.equal(signer.sign('abc'), sign('k', 'abc'))
})

test('an object inheriting from a signer signs as that signer or is refused, never as another key', () => {
  const signer = new Signer('parent-key')
  signer.sign('warm')
  const child = Object.create(signer)
  let outcome
  try {
    outcome = Signer.prototype.sign.call(child, 'abc')
  } catch (error) {
    assert.equal(error.code, 'ERR_INVALID_ARG_TYPE')
    return
  }
  assert.equal(outcome, reference('parent-key', 'abc'))
})
