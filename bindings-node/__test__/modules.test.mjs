// CommonJS require and ESM import give the same API; lone surrogates sign like crypto.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import esmDefault, { sign as esmSign, Signer as EsmSigner } from '../index.mjs'
import { reference } from './helpers.mjs'

const cjs = createRequire(import.meta.url)('../index.js')

test('require and import expose the same functions', () => {
  assert.equal(esmSign, cjs.sign)
  assert.equal(EsmSigner, cjs.Signer)
  assert.equal(esmDefault.verify, cjs.verify)
  assert.equal(esmSign('k', 'abc'), reference('k', 'abc'))
})

test('a lone surrogate becomes U+FFFD, exactly as createHmac().update(string)', () => {
  for (const id of ['\ud800', 'a\udfffb', '\udc00\ud800']) {
    assert.equal(esmSign('k', id), reference('k', id))
    assert.equal(esmSign('k', id), reference('k', id.replace(/[\ud800-\udfff]/g, '\ufffd')))
  }
})

test('multi-byte text of every length around the inline buffer signs like crypto', () => {
  for (let n = 1; n <= 300; n++) {
    for (const char of ['a', 'é', '山', '😀']) {
      const text = char.repeat(n).slice(0, n + 1)
      assert.equal(esmSign('k', text), reference('k', text), `${n} x ${char}`)
      assert.equal(esmSign(text, 'id'), reference(text, 'id'), `key ${n} x ${char}`)
    }
  }
})

test('Signer methods refuse a receiver that is not a Signer', () => {
  const { Signer } = cjs
  const wrong = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }
  assert.throws(() => Signer.prototype.sign.call({}, 'x'), wrong)
  assert.throws(() => Signer.prototype.sign.call(Object.create(Signer.prototype), 'x'), wrong)
  assert.throws(() => new Signer('k').sign(), wrong)
  assert.equal(new Signer('k').sign('abc'), reference('k', 'abc'))
})
