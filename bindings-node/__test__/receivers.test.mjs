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

test('a collected signer leaves the list of checked receivers', async () => {
  // In a child process: the hook exists only when REFINER_IDENTITY_TEST_HOOKS=1 at load.
  const { spawnSync } = await import('node:child_process')
  const { readdirSync } = await import('node:fs')
  const dir = new URL('..', import.meta.url).pathname
  const binary = readdirSync(dir).find((name) => name.endsWith('.node'))
  assert.ok(binary, 'the built addon is in bindings-node/')
  const source = `
    const native = require(${JSON.stringify(dir + binary)})
    const settle = async () => {
      for (let i = 0; i < 5; i++) {
        gc()
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    ;(async () => {
      await settle()
      const before = native.__taggedSignerCount()
      // In its own function, so no frame of this one keeps a Signer alive.
      const during = (() => {
        const signers = Array.from({ length: 10 }, (_, i) => new native.Signer('key-' + i))
        for (let i = 0; i < signers.length; i++) signers[i].sign('user')
        return native.__taggedSignerCount()
      })()
      await settle()
      console.log(JSON.stringify({ before, during, after: native.__taggedSignerCount() }))
    })()
  `
  const run = spawnSync(process.execPath, ['--expose-gc', '-e', source], {
    encoding: 'utf8',
    env: { ...process.env, REFINER_IDENTITY_TEST_HOOKS: '1' },
  })
  assert.equal(run.status, 0, run.stderr)
  const { before, during, after } = JSON.parse(run.stdout)
  assert.equal(during, before + 10)
  assert.equal(after, before, 'every collected Signer was forgotten')
})

test('without the test variable the native exports have no hook', async () => {
  const { readdirSync } = await import('node:fs')
  const dir = new URL('..', import.meta.url).pathname
  const binary = readdirSync(dir).find((name) => name.endsWith('.node'))
  assert.equal(process.env.REFINER_IDENTITY_TEST_HOOKS, undefined)
  const native = createRequire(import.meta.url)(dir + binary)
  assert.equal(typeof native.Signer, 'function')
  assert.equal('__taggedSignerCount' in native, false)
})
