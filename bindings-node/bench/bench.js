// Node benchmark: refiner-identity against node:crypto's createHmac, in one run
// on one machine. Outputs are asserted equal before anything is timed, and a
// full garbage collection precedes every timed round, so no round pays for
// another's garbage. Prints a markdown table and, last, one JSON line
// (`RESULT {...}`) for `make bench`.
'use strict'
const assert = require('node:assert/strict')
const { execSync } = require('node:child_process')
const { createHmac } = require('node:crypto')
const os = require('node:os')
const v8 = require('node:v8')
const vm = require('node:vm')

const { sign, Signer } = require('..')
const channels = require('./channels')

const KEY = 'bench-secret-key-0123456789'
const USER_ID = 'user-1234567' // 12 bytes, a typical short id
const BATCH = 1_000_000
const TARGETS = { 'Signer.sign': 6, sign: 3, signMany: 10 }

// `node --expose-gc` gives global.gc; without the flag, turn it on here.
const gc =
  global.gc ??
  (() => {
    v8.setFlagsFromString('--expose-gc')
    return vm.runInNewContext('gc')
  })()

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Median over rounds of the mean ns per call within a round. */
function medianNs(fn, calls, rounds = 7) {
  const perRound = []
  for (let r = 0; r < rounds; r++) {
    gc()
    const start = process.hrtime.bigint()
    for (let i = 0; i < calls; i++) fn()
    perRound.push(Number(process.hrtime.bigint() - start) / calls)
  }
  return median(perRound)
}

function medianSeconds(fn, rounds = 3) {
  const times = []
  for (let r = 0; r < rounds; r++) {
    gc()
    const start = process.hrtime.bigint()
    fn()
    times.push(Number(process.hrtime.bigint() - start) / 1e9)
  }
  return median(times)
}

function commit() {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return 'unknown'
  }
}

const signer = new Signer(KEY)
const stdlib = (id) => createHmac('sha256', KEY).update(id).digest('hex')
assert.equal(signer.sign(USER_ID), stdlib(USER_ID))
assert.equal(sign(KEY, USER_ID), stdlib(USER_ID))

// Single calls first, while the heap is small: a million live batch strings
// slow every allocation-heavy loop, ours and createHmac's unequally.
let sink = 0
const calls = 200_000
const stdlibNs = medianNs(() => (sink ^= stdlib(USER_ID).length), calls)
const signerNs = medianNs(() => (sink ^= signer.sign(USER_ID).length), calls)
const signNs = medianNs(() => (sink ^= sign(KEY, USER_ID).length), calls)
const renderers = channels.rows(KEY, medianNs)

const ids = Array.from({ length: BATCH }, (_, i) => `user-${String(i).padStart(7, '0')}`)
const expected = ids.map(stdlib)
assert.deepEqual(signer.signMany(ids), expected, 'signMany differs from crypto: nothing timed')
const stdlibBatch = medianSeconds(() => ids.map(stdlib))
const oursBatch = medianSeconds(() => signer.signMany(ids))

;(async () => {
  assert.deepEqual(await signer.signManyAsync(ids), expected, 'signManyAsync differs from crypto: nothing timed')
  const asyncTimes = []
  for (let r = 0; r < 3; r++) {
    gc()
    const start = process.hrtime.bigint()
    await signer.signManyAsync(ids)
    asyncTimes.push(Number(process.hrtime.bigint() - start) / 1e9)
  }
  const asyncSeconds = median(asyncTimes)
  const ratios = { 'Signer.sign': stdlibNs / signerNs, sign: stdlibNs / signNs, signMany: stdlibBatch / oursBatch }
  console.log(`Node ${process.version} on ${os.cpus()[0].model}, ${os.type()} ${os.release()}, commit ${commit()}`)
  console.log()
  console.log('| call | median ns per signature | vs `createHmac(...).digest(\'hex\')` | target |')
  console.log('|---|---:|---:|---:|')
  console.log(`| \`createHmac('sha256', key).update(id).digest('hex')\` | ${stdlibNs.toFixed(0)} | 1.0x | |`)
  console.log(`| \`signer.sign(id)\` | ${signerNs.toFixed(0)} | ${ratios['Signer.sign'].toFixed(1)}x faster | >= ${TARGETS['Signer.sign']}x |`)
  console.log(`| \`sign(key, id)\` | ${signNs.toFixed(0)} | ${ratios.sign.toFixed(1)}x faster | >= ${TARGETS.sign}x |`)
  console.log(
    `| \`signer.signMany\` 1,000,000 ids | ${((oursBatch * 1e9) / BATCH).toFixed(0)} (${(oursBatch * 1e3).toFixed(0)} ms in all) ` +
      `| ${ratios.signMany.toFixed(1)}x faster than a createHmac loop (${(stdlibBatch * 1e3).toFixed(0)} ms) | >= ${TARGETS.signMany}x |`,
  )
  console.log(`| \`signer.signManyAsync\` 1,000,000 ids | ${((asyncSeconds * 1e9) / BATCH).toFixed(0)} (${(asyncSeconds * 1e3).toFixed(0)} ms in all) | | |`)
  console.log()
  channels.print(renderers)
  const missed = Object.entries(ratios)
    .filter(([name, ratio]) => ratio < TARGETS[name])
    .map(([name]) => name)
    .concat(channels.missed(renderers))
  console.log(`targets: ${missed.length ? 'MISSED ' + missed.join(', ') : 'all met'}`)
  console.log(
    'RESULT ' +
      JSON.stringify({
        language: 'Node',
        runtime: `Node ${process.version}`,
        stdlib: "createHmac().digest('hex')",
        stdlib_ns: stdlibNs,
        rows: [
          { call: 'Signer.sign', ns: signerNs, ratio: ratios['Signer.sign'], target: TARGETS['Signer.sign'] },
          { call: 'sign', ns: signNs, ratio: ratios.sign, target: TARGETS.sign },
          ...renderers,
        ],
        batch: {
          call: 'signMany',
          seconds: oursBatch,
          stdlib_seconds: stdlibBatch,
          ratio: ratios.signMany,
          target: TARGETS.signMany,
        },
        sink,
      }),
  )
  process.exitCode = missed.length ? 1 : 0
})()
