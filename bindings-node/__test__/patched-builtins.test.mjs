// Built-ins patched after the module loaded never change a batch's result:
// the binding captured what it uses at load and calls nothing overridable.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { Worker } from 'node:worker_threads'

import { Signer } from '../index.js'
import { SECRET, reference } from './helpers.mjs'

const modulePath = new URL('../index.js', import.meta.url).pathname

// Each patch runs in its own process: patched built-ins would break the test
// runner itself. Expected values are computed before patching, and checking
// uses only syntax and built-ins captured first.
const childSource = `
process.exitCode = 98 // until the last check passes
const { createHmac } = require('node:crypto')
const { Signer } = require(process.argv[1])
const [secret, patchIndex] = [process.argv[2], Number(process.argv[3])]
const signer = new Signer(secret)
const reference = (id) => createHmac('sha256', secret).update(id).digest('hex')
const ids = ['alice', 'bob', 'é😀', 42, 7n, Buffer.from('raw'), '\\ud83d', '\\ude00']
const expected = ['alice', 'bob', 'é😀', '42', '7', Buffer.from('raw'), '\\ud83d', '\\ude00'].map(reference)
const big = Array.from({ length: 10000 }, (_, i) => 'user-' + i + (i % 7 ? '' : '-é'))
const bigExpected = big.map(reference)
const [getPrototypeOf, arrayPrototype, apply, then, defineProperty] =
  [Object.getPrototypeOf, Array.prototype, Reflect.apply, Promise.prototype.then, Object.defineProperty]
const accessor = { get: () => 'mallory', set() {} }
const patches = [
  // The ids joined in reverse order: the same total length, so only the order is wrong.
  [Array.prototype, 'join', { value: function () { let s = ''; for (let i = this.length - 1; i >= 0; i--) s += this[i]; return s } }],
  [Array.prototype, 'push', { value: () => 0 }],
  [Array.prototype, 'slice', { value: () => ['mallory'] }],
  [Array.prototype, 'map', { value: () => ['mallory'] }],
  [Array.prototype, Symbol.iterator, { value: function* () { yield '0'.repeat(64) } }],
  [String.prototype, 'slice', { value: () => 'not-a-signature' }],
  [String.prototype, 'substring', { value: () => 'not-a-signature' }],
  [String.prototype, 'concat', { value: () => 'mallory' }],
  [Function.prototype, 'call', { value: () => 'mallory' }],
  [Function.prototype, 'apply', { value: () => 'mallory' }],
  [Function.prototype, 'bind', { value: () => () => 'mallory' }],
  [Array, 'isArray', { value: () => false }],
  [Object, 'setPrototypeOf', { value: () => null }],
  [globalThis, 'Uint32Array', { value: Uint16Array }],
  [globalThis, 'Array', { value: function Array() { return { length: 0 } } }],
  [Array.prototype, '0', accessor],
  [Array.prototype, '3', accessor],
  [Array.prototype, '4096', accessor],
  [Object.prototype, '1', accessor],
  [Object.prototype, '9999', accessor],
  [Object.prototype, 'length', { get: () => 1, set() {} }],
]
const [object, key, descriptor] = patches[patchIndex]
descriptor.configurable = true
descriptor.writable = 'value' in descriptor ? true : undefined
if (descriptor.writable === undefined) delete descriptor.writable
defineProperty(object, key, descriptor)
function same(result, wanted) {
  if (getPrototypeOf(result) !== arrayPrototype || result.length !== wanted.length) return false
  for (let i = 0; i < wanted.length; i++) if (result[i] !== wanted[i]) return false
  return true
}
let failed = 0
if (!same(signer.signMany(ids), expected)) failed += 1
if (!same(signer.signMany(big), bigExpected)) failed += 2
const pending = signer.signManyAsync(ids)
ids[0] = 'changed after the call'
apply(then, pending, [(later) => {
  if (!same(later, expected)) failed += 4
  process.exitCode = failed === 0 ? 0 : 10 + failed
}, () => { process.exitCode = 99 }])
`
const PATCHES = [
  'Array.prototype.join', 'Array.prototype.push', 'Array.prototype.slice', 'Array.prototype.map',
  'Array.prototype[Symbol.iterator]', 'String.prototype.slice', 'String.prototype.substring',
  'String.prototype.concat', 'Function.prototype.call', 'Function.prototype.apply', 'Function.prototype.bind',
  'Array.isArray', 'Object.setPrototypeOf', 'globalThis.Uint32Array', 'globalThis.Array', 'an accessor at Array.prototype[0]',
  'an accessor at Array.prototype[3]', 'an accessor at Array.prototype[4096]', 'an accessor at Object.prototype[1]',
  'an accessor at Object.prototype[9999]', 'an accessor at Object.prototype.length',
]

PATCHES.forEach((name, index) => {
  test(`patched ${name}: signMany and signManyAsync unchanged`, () => {
    const child = spawnSync(process.execPath, ['-e', childSource, modulePath, SECRET, String(index)], { encoding: 'utf8' })
    // 11-17: which of signMany, the 10,000-id signMany and signManyAsync differed (bits 1, 2, 4).
    assert.equal(child.status, 0, `exit ${child.status}: ${child.stderr}`)
  })
})

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
const { createHmac } = require('node:crypto')
const { Signer } = require(workerData.modulePath)
const signer = new Signer(workerData.secret)
const ids = Array.from({ length: 20000 }, (_, i) => 'w' + workerData.worker + '-' + i + (i % 5 ? '' : '-é'))
const expected = ids.map((id) => createHmac('sha256', workerData.secret).update(id).digest('hex'))
if (workerData.worker % 2) {
  // Odd workers patch their own built-ins first; each worker has its own realm.
  Array.prototype.join = () => 'mallory'
  String.prototype.slice = () => 'not-a-signature'
  Array.prototype.push = () => 0
}
;(async () => {
  let wrong = 0
  for (let round = 0; round < 5; round++) {
    const sync = signer.signMany(ids)
    const later = await signer.signManyAsync(ids)
    for (let i = 0; i < ids.length; i++) if (sync[i] !== expected[i] || later[i] !== expected[i]) wrong++
  }
  parentPort.postMessage({ wrong })
})()
`

test('worker threads share the module, some with patched built-ins, all signing like crypto', async () => {
  const results = await Promise.all(
    Array.from({ length: 4 }, (_, worker) => {
      const w = new Worker(workerSource, { eval: true, workerData: { modulePath, worker, secret: SECRET } })
      return new Promise((resolve, reject) => {
        w.once('message', resolve)
        w.once('error', reject)
      })
    }),
  )
  assert.deepEqual(results, [{ wrong: 0 }, { wrong: 0 }, { wrong: 0 }, { wrong: 0 }])
  const signer = new Signer(SECRET)
  assert.deepEqual(signer.signMany(['alice', 42]), [reference(SECRET, 'alice'), reference(SECRET, '42')])
})
