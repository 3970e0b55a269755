// The secret never shows in an error message, String(), JSON or util.inspect.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inspect } from 'node:util'

import { sign, verify, Signer } from '../index.js'
import { SECRET, reference } from './helpers.mjs'

function assertNoSecret(text) {
  assert.ok(!text.includes(SECRET) && !text.includes(SECRET.slice(0, 12)), text)
}

test('String, JSON and inspect are redacted', () => {
  const signer = new Signer(SECRET, { previous: [`${SECRET}-old`] })
  for (const text of [String(signer), `${signer}`, JSON.stringify(signer), inspect(signer), inspect({ signer })]) {
    assert.match(text, /redacted/)
    assertNoSecret(text)
  }
  assert.equal(signer.previousCount, 1)
})

for (const padded of [`${SECRET}\n`, ` ${SECRET}`, `${SECRET}\r\n`, `\t${SECRET}`]) {
  test(`padded secret ${JSON.stringify(padded.replace(SECRET, 'KEY'))} is refused without echoing it`, () => {
    const attempts = [
      () => sign(padded, '42'),
      () => verify(padded, '42', '0'.repeat(64)),
      () => new Signer(padded),
      () => new Signer('ok', { previous: [padded] }),
    ]
    for (const attempt of attempts) {
      try {
        attempt()
        assert.fail('expected a throw')
      } catch (error) {
        assert.equal(error.code, 'ERR_REFINER_INVALID_SECRET')
        assert.match(error.message, /newline picked up from a file or an environment variable/)
        assertNoSecret(`${error.message} ${error.stack} ${inspect(error)}`)
      }
    }
  })
}

test('user id errors never show the secret', () => {
  for (const bad of ['', null, 1.5, 2 ** 60]) {
    try {
      sign(SECRET, bad)
      assert.fail('expected a throw')
    } catch (error) {
      assertNoSecret(`${error.message} ${error.stack} ${inspect(error)}`)
    }
  }
})

test('fromEnv names the variable, never the value', () => {
  const name = 'REFINER_IDENTITY_NODE_TEST_KEY'
  delete process.env[name]
  assert.throws(() => Signer.fromEnv(name), { code: 'ERR_REFINER_INVALID_SECRET', message: new RegExp(name) })
  process.env[name] = ''
  assert.throws(() => Signer.fromEnv(name), { message: /empty/ })
  process.env[name] = `${SECRET}\n`
  assert.throws(() => Signer.fromEnv(name), (error) => {
    assertNoSecret(error.message)
    return error.code === 'ERR_REFINER_INVALID_SECRET'
  })
  process.env[name] = SECRET
  assert.equal(Signer.fromEnv(name).sign('42'), reference(SECRET, '42'))
  process.env.REFINER_SECRET_KEY = SECRET
  assert.equal(Signer.fromEnv().sign('42'), reference(SECRET, '42'))
  delete process.env[name]
})

test('previous keys verify but never sign', () => {
  const old = reference('old-key', '42')
  const signer = new Signer('new-key', { previous: ['old-key', Buffer.from('older-key')] })
  assert.equal(signer.verify('42', old), true)
  assert.equal(signer.sign('42'), reference('new-key', '42'))
  assert.throws(() => new Signer('k', { previous: 'old' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
  assert.throws(() => new Signer('k', { previous: ['ok', 'bad\n'] }), { message: /previous\[1\]/ })
})

test('malformed signatures are false; wrong signature types are TypeErrors', () => {
  const good = sign('key', '42')
  for (const bad of ['', good.slice(1), `${good}0`, 'g'.repeat(64), ` ${good.slice(1)}`, '\ud800'.repeat(64)]) {
    assert.equal(verify('key', '42', bad), false)
  }
  assert.throws(() => verify('key', '42', null), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
})
