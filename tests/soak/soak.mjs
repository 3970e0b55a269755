// Soak test of the Node binding: N signatures mixing `sign`, `Signer.sign`,
// `signMany` and `signManyAsync` of 10,000 ids (hostile ones included:
// getters, an array Proxy), `verify`, and calls that throw or reject (bad
// ids, bad secrets, a bad element in a batch). Fails if RSS grows more than
// 10 MB after the warm-up (the first 10% of N), or if a sampled signature
// differs from node:crypto's.
//
// Usage: node --expose-gc tests/soak/soak.mjs N
import { spawnSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const { sign, verify, Signer } = createRequire(import.meta.url)('../../bindings-node/index.js')

const BATCH = 10_000
const SINGLES = 1_000
const VERIFIES = 500
const SAMPLE_EVERY = 100_000
const GROWTH_LIMIT_KB = 10_240
const SECRET = 'soak-secret-key-7d2a'

function fail(why) {
  console.error(`soak node: FAILED: ${why}`)
  process.exit(1)
}

function rssKb() {
  global.gc()
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'ascii'))
  if (!line) fail('no VmRSS line in /proc/self/status')
  return Number(line[1])
}

/** What createHmac is given for an id (numbers and bigints as their decimal). */
function message(userId) {
  return typeof userId === 'number' || typeof userId === 'bigint' ? String(userId) : userId
}

/** Fresh ids of every accepted kind, some read through a getter. */
function userIds(count, round) {
  const makers = [
    (i) => `user-${round}-${i}`,
    (i) => `usér-${i}-✓😀`,
    (i) => Buffer.from(`buf-${round}-${i}`),
    (i) => i * 7919 - 5_000_000,
    (i) => 2n ** 64n * BigInt(i + 1) + BigInt(round),
    (i) => new Uint8Array([0x75, i & 0xff, (i >> 8) & 0xff, round & 0xff]),
  ]
  const ids = Array.from({ length: count }, (_, i) => makers[i % makers.length](i))
  if (count > 1) {
    const held = `getter-${round}`
    Object.defineProperty(ids, 1, { get: () => held, enumerable: true })
  }
  return ids
}

class Soak {
  constructor(total) {
    this.total = total
    this.count = 0
    this.samples = 0
  }

  done() {
    return this.count >= this.total
  }

  remaining() {
    return this.total - this.count
  }

  /** Counts the signatures and checks each one that lands on a multiple of SAMPLE_EVERY. */
  record(ids, signatures) {
    if (signatures.length !== ids.length) fail(`${signatures.length} signatures for ${ids.length} ids`)
    const start = this.count
    this.count += signatures.length
    for (let target = (Math.floor(start / SAMPLE_EVERY) + 1) * SAMPLE_EVERY; target <= this.count; target += SAMPLE_EVERY) {
      const index = target - start - 1
      const expected = createHmac('sha256', SECRET).update(message(ids[index])).digest('hex')
      if (signatures[index] !== expected) fail(`signature ${target} (a ${typeof ids[index]} id) differs from createHmac`)
      this.samples++
    }
  }
}

function expectThrow(code, call) {
  try {
    call()
  } catch (error) {
    if (error.code !== code) fail(`expected ${code}, got ${error.code}: ${error.message}`)
    if (String(error.message).includes(SECRET)) fail(`${code} message contains the secret`)
    return
  }
  fail(`expected ${code}`)
}

async function expectRejection(code, promise) {
  try {
    await promise
  } catch (error) {
    if (error.code !== code) fail(`expected a rejection with ${code}, got ${error.code}`)
    return
  }
  fail(`expected a rejection with ${code}`)
}

async function raisingCalls(signer, badBatch, emptyBatch) {
  for (const badId of [null, undefined, 1.5, 2 ** 60, true, {}, Symbol('s'), new String('x')]) {
    expectThrow('ERR_INVALID_ARG_TYPE', () => sign(SECRET, badId))
    expectThrow('ERR_INVALID_ARG_TYPE', () => signer.sign(badId))
  }
  for (const empty of ['', new Uint8Array(0)]) expectThrow('ERR_REFINER_INVALID_USER_ID', () => signer.sign(empty))
  for (const badSecret of ['', ` ${SECRET}`, `${SECRET}\n`, Buffer.from(`${SECRET}\r\n`)]) {
    expectThrow('ERR_REFINER_INVALID_SECRET', () => sign(badSecret, '42'))
    expectThrow('ERR_REFINER_INVALID_SECRET', () => new Signer(SECRET, { previous: ['old', badSecret] }))
  }
  expectThrow('ERR_INVALID_ARG_TYPE', () => new Signer(null))
  expectThrow('ERR_INVALID_ARG_TYPE', () => signer.signMany(badBatch))
  expectThrow('ERR_INVALID_ARG_TYPE', () => signer.signManyAsync(badBatch))
  expectThrow('ERR_REFINER_INVALID_USER_ID', () => signer.signMany(emptyBatch))
  await expectRejection('ERR_REFINER_INVALID_USER_ID', signer.signManyAsync(emptyBatch))
  expectThrow('ERR_REFINER_INVALID_SECRET', () => Signer.fromEnv('REFINER_SOAK_UNSET_VARIABLE'))
}

async function oneRound(soak, round, batch, badBatch, emptyBatch) {
  const signer = new Signer(Buffer.from(SECRET), { previous: [Buffer.from('previous-key')] })
  const ids = batch.length <= soak.remaining() ? batch : batch.slice(0, soak.remaining())
  // Alternates the sync and async batch paths, and a plain array with a Proxy of it.
  const viewed = round % 4 < 2 ? ids : new Proxy(ids, {})
  soak.record(ids, round % 2 ? await signer.signManyAsync(viewed) : signer.signMany(viewed))
  if (soak.done()) return
  const singles = userIds(Math.min(SINGLES, soak.remaining()), round)
  const secrets = [SECRET, Buffer.from(SECRET), new Uint8Array(Buffer.from(SECRET))]
  soak.record(singles, singles.map((id, i) => sign(secrets[i % 3], id)))
  if (soak.done()) return
  const more = singles.slice(0, Math.min(SINGLES, soak.remaining()))
  const signatures = more.map((id) => signer.sign(id))
  soak.record(more, signatures)
  const checked = Math.min(VERIFIES, more.length, Math.floor(soak.remaining() / 2))
  for (let i = 0; i < checked; i++) {
    if (!signer.verify(more[i], signatures[i].toUpperCase())) fail('verify refused a valid signature')
    if (verify(SECRET, more[i], '0'.repeat(64))) fail('verify accepted a wrong signature')
  }
  soak.count += 2 * checked
  await raisingCalls(signer, badBatch, emptyBatch)
}

// V8's young generation grows up to 16 MB as it sees fit, and its helper
// threads return pages on their own schedule: RSS then moves by more than the
// limit with nothing leaked. A fixed 1 MB young generation and collection on
// the main thread make RSS show what the program keeps.
const STEADY_HEAP_FLAGS = ['--expose-gc', '--max-semi-space-size=1', '--single-threaded-gc']

function rerunWithSteadyHeap(argv) {
  const flags = STEADY_HEAP_FLAGS.filter((flag) => !process.execArgv.includes(flag))
  if (flags.length === 0) return false
  const run = spawnSync(process.execPath, [...process.execArgv, ...flags, fileURLToPath(import.meta.url), ...argv], {
    stdio: 'inherit',
  })
  process.exit(run.status ?? 1)
}

async function main(argv) {
  if (argv.length !== 1 || !/^[1-9][0-9]*$/.test(argv[0])) {
    console.error('usage: node --expose-gc tests/soak/soak.mjs N   (N = total signatures, at least 1)')
    process.exit(2)
  }
  rerunWithSteadyHeap(argv)
  const total = Number(argv[0])
  const rssStart = rssKb()
  const batches = [userIds(BATCH, 0), userIds(BATCH, 1)]
  const badBatch = userIds(BATCH, 2)
  badBatch[BATCH - 3] = 4.2
  const emptyBatch = userIds(BATCH, 3)
  emptyBatch[BATCH - 3] = ''
  const soak = new Soak(total)
  const checkpoints = { warm: Math.floor(total / 10), mid: Math.floor(total / 2) }
  const readings = {}
  for (let round = 0; !soak.done(); round++) {
    await oneRound(soak, round, batches[round % 2], badBatch, emptyBatch)
    for (const [name, at] of Object.entries(checkpoints)) {
      if (!(name in readings) && soak.count >= at) readings[name] = rssKb()
    }
  }
  const rssEnd = rssKb()
  const growth = rssEnd - readings.warm
  console.log(
    `soak node: N=${total} rss_start_kb=${rssStart} rss_warm_kb=${readings.warm} ` +
      `rss_mid_kb=${readings.mid} rss_end_kb=${rssEnd} growth_kb=${growth}`,
  )
  if (total >= SAMPLE_EVERY && soak.samples === 0) fail('no signature was sampled')
  if (growth > GROWTH_LIMIT_KB) fail(`RSS grew by ${growth} kB after warm-up (limit ${GROWTH_LIMIT_KB} kB): a leak`)
}

await main(process.argv.slice(2))
