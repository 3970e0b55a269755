// The raw Signer.prototype.sign reads napi-rs's wrapped pointer: the napi
// crates are pinned to the versions the load-time layout check was written
// for, and that check runs (then disappears) at every load.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { Worker } from 'node:worker_threads'

import { Signer } from '../index.js'
import { reference } from './helpers.mjs'

const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8')

function lockedVersion(lock, name) {
  const match = new RegExp(`\\[\\[package\\]\\]\\nname = "${name}"\\nversion = "([^"]+)"`).exec(lock)
  assert.ok(match, `${name} is in Cargo.lock`)
  return match[1]
}

test('napi and napi-derive are pinned exactly, to the versions in Cargo.lock', () => {
  const manifest = read('../Cargo.toml')
  const lock = read('../../Cargo.lock')
  for (const name of ['napi', 'napi-derive']) {
    const pinned = new RegExp(`^${name} = (?:\\{ version = )?"=([0-9.]+)"`, 'm').exec(manifest)
    assert.ok(pinned, `${name} has an exact version requirement (=x.y.z) in bindings-node/Cargo.toml`)
    assert.equal(pinned[1], lockedVersion(lock, name))
  }
})

test('the layout check ran at load and left nothing behind', () => {
  assert.equal(Object.getOwnPropertyNames(Signer.prototype).some((name) => /layout/i.test(name)), false)
  const signer = new Signer('layout-key')
  assert.equal(signer.sign('42'), reference('layout-key', '42'))
  assert.equal(Signer.prototype.sign.call(signer, 42n), reference('layout-key', '42'))
})

test('a worker loading the module passes the check too', async () => {
  const modulePath = new URL('../index.js', import.meta.url).pathname
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { Signer } = require(workerData)
    parentPort.postMessage(new Signer('k').sign('x'))
  `
  const signature = await new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: modulePath })
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  assert.equal(signature, reference('k', 'x'))
})
