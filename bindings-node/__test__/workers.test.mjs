// 4 worker_threads load the module and sign 100,000 ids each, all equal to node:crypto's.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Worker } from 'node:worker_threads'

const WORKERS = 4
const PER_WORKER = 100_000

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
const { createHmac } = require('node:crypto')
const { Signer, sign } = require(workerData.modulePath)
const signer = new Signer(workerData.secret)
let wrong = 0
for (let i = 0; i < workerData.count; i++) {
  const id = 'worker-' + workerData.worker + '-user-' + i
  const expected = createHmac('sha256', workerData.secret).update(id).digest('hex')
  const ours = i % 2 ? signer.sign(id) : sign(workerData.secret, id)
  if (ours !== expected) wrong++
}
parentPort.postMessage({ wrong, count: workerData.count })
`

test('the module works in 4 worker threads at once', async () => {
  const modulePath = new URL('../index.js', import.meta.url).pathname
  const results = await Promise.all(
    Array.from({ length: WORKERS }, (_, worker) => {
      const w = new Worker(workerSource, {
        eval: true,
        workerData: { modulePath, worker, count: PER_WORKER, secret: 'worker-secret' },
      })
      return new Promise((resolve, reject) => {
        w.once('message', resolve)
        w.once('error', reject)
      })
    }),
  )
  assert.deepEqual(results, Array.from({ length: WORKERS }, () => ({ wrong: 0, count: PER_WORKER })))
})
