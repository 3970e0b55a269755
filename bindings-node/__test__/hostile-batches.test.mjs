// Hostile batches: each element is read exactly once, in order; getters,
// Proxies, holes, lying lengths and later mutation never change a signature.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Signer } from '../index.js'
import { SECRET, reference } from './helpers.mjs'

const signer = new Signer(SECRET)
const wrongType = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }

/** signMany and signManyAsync both give `expected` for `ids` (made fresh by `make`). */
async function assertBatch(make, expected) {
  assert.deepEqual(signer.signMany(make()), expected)
  assert.deepEqual(await signer.signManyAsync(make()), expected)
}

test('an element getter is read once: the signature is of the one value read', async () => {
  for (const signMany of [(ids) => signer.signMany(ids), (ids) => signer.signManyAsync(ids)]) {
    for (const others of [['x', 'y'], [7, 'y'], [Buffer.from('b'), 3n]]) {
      let reads = 0
      const ids = [...others]
      Object.defineProperty(ids, 0, { get: () => `read-${++reads}`, enumerable: true })
      const result = await signMany(ids)
      assert.equal(reads, 1)
      assert.deepEqual(result, [reference(SECRET, 'read-1'), ...others.slice(1).map((id) => signer.sign(id))])
    }
  }
})

test('getters on every element of a long batch are each read once', () => {
  const count = 40_000
  const reads = new Uint32Array(count)
  const ids = []
  for (let i = 0; i < count; i++) {
    Object.defineProperty(ids, i, { get: () => `g${i}-${++reads[i]}`, enumerable: true, configurable: true })
  }
  const result = signer.signMany(ids)
  assert.ok(reads.every((n) => n === 1))
  assert.equal(result[count - 1], reference(SECRET, `g${count - 1}-1`))
  assert.equal(result[12345], reference(SECRET, 'g12345-1'))
})

test('a getter that throws propagates its own error', () => {
  const boom = new Error('from the getter')
  const ids = ['a', 'b']
  Object.defineProperty(ids, 1, {
    get() {
      throw boom
    },
  })
  assert.throws(() => signer.signMany(ids), (error) => error === boom)
  assert.throws(() => signer.signManyAsync(ids), (error) => error === boom)
})

test('a getter that empties the array mid-read: later elements are what is read then', () => {
  const ids = ['a', 'b', 'c']
  Object.defineProperty(ids, 0, {
    get() {
      ids.length = 1
      return 'a'
    },
  })
  assert.throws(() => signer.signMany(ids), { ...wrongType, message: /userIds\[1\].*undefined/ })
})

test('a Proxy of an array is accepted: length and each index read once through its traps', async () => {
  const target = ['alice', 42, 7n, Buffer.from('raw')]
  const expected = target.map((id) => signer.sign(id))
  const reads = []
  const proxy = new Proxy(target, {
    get(object, key, receiver) {
      reads.push(String(key))
      return Reflect.get(object, key, receiver)
    },
  })
  assert.deepEqual(signer.signMany(proxy), expected)
  assert.deepEqual(reads, ['length', '0', '1', '2', '3'])
  assert.deepEqual(await signer.signManyAsync(proxy), expected)
  assert.deepEqual(signer.signMany(new Proxy(['x'], {})), [reference(SECRET, 'x')])
})

test('a Proxy whose length is not an array length is a TypeError', () => {
  for (const length of [-1, 1.5, 2 ** 32, 'abc', 10n, null]) {
    const proxy = new Proxy([], { get: (object, key) => (key === 'length' ? length : object[key]) })
    assert.throws(() => signer.signMany(proxy), { ...wrongType, message: /length/ })
  }
})

test('array-likes, typed arrays and iterables are not arrays', () => {
  for (const notArray of [{ length: 1, 0: 'a' }, new Set(['a']), 'abc', new Uint8Array([1]), null, undefined]) {
    assert.throws(() => signer.signMany(notArray), { ...wrongType, message: /userIds must be an array/ })
    assert.throws(() => signer.signManyAsync(notArray), wrongType)
  }
})

test('an Array subclass overriding its methods signs its elements', async () => {
  class Sneaky extends Array {
    join() {
      return 'mallory'
    }
    map() {
      return ['mallory']
    }
    slice() {
      return ['mallory']
    }
    *[Symbol.iterator]() {
      yield 'mallory'
    }
  }
  const make = () => Sneaky.from(['alice', 'bob'])
  await assertBatch(make, [reference(SECRET, 'alice'), reference(SECRET, 'bob')])
})

test('a hole is a TypeError naming its index (or the value the prototype chain gives, as ids[i] reads)', () => {
  // eslint-disable-next-line no-sparse-arrays
  assert.throws(() => signer.signMany(['a', , 'c']), { ...wrongType, message: /userIds\[1\].*undefined/ })
  Object.prototype[1] = 'from-the-prototype'
  try {
    // eslint-disable-next-line no-sparse-arrays
    assert.deepEqual(signer.signMany(['a', , 'c']), ['a', 'from-the-prototype', 'c'].map((id) => reference(SECRET, id)))
  } finally {
    delete Object.prototype[1]
  }
})

test('a huge sparse array fails at its first hole at once (no allocation for its length)', () => {
  const huge = new Array(2 ** 32 - 1)
  assert.throws(() => signer.signMany(huge), { ...wrongType, message: /userIds\[0\]/ })
  huge[0] = 'first'
  assert.throws(() => signer.signMany(huge), { ...wrongType, message: /userIds\[1\]/ })
})

test('a batch of 1,000,000 ids signs each like crypto (checked at 2,000 positions)', () => {
  const count = 1_000_000
  const ids = Array.from({ length: count }, (_, i) => (i % 3 === 0 ? `user-${i}` : i % 3 === 1 ? i : `ü-${i}`))
  const result = signer.signMany(ids)
  assert.equal(result.length, count)
  for (let k = 0; k < 2000; k++) {
    const i = (k * 7919 + 13) % count
    assert.equal(result[i], reference(SECRET, String(ids[i])), `index ${i}`)
  }
})

test('surrogate pairs split across ids, across segments and next to other types sign like crypto', async () => {
  const cases = [
    ['\ud83d', '\ude00'],
    ['a\ud83d', 5, '\ude00b'],
    ['\ud83d', Buffer.from('x'), '\ude00'],
    Array.from({ length: 40_000 }, (_, i) => (i % 2 ? '\ude00x\ud83d' : '\ude00\ud83d')),
    Array.from({ length: 20_000 }, (_, i) => (i === 16383 ? 'end\ud83d' : i === 16384 ? '\ude00start' : `id-${i}-😀`)),
  ]
  for (const ids of cases) {
    await assertBatch(() => ids, ids.map((id) => reference(SECRET, typeof id === 'number' ? String(id) : id)))
  }
})

test('one id longer than a read segment (20 million characters) among short ones', () => {
  const long = 'L'.repeat(20_000_000)
  const ids = ['a', long, 'b', long + 'é', 'c']
  assert.deepEqual(signer.signMany(ids), ids.map((id) => reference(SECRET, id)))
})

test('signManyAsync signs the values of call time, whatever happens to the array and its bytes after', async () => {
  const bytes = new Uint8Array(Buffer.from('bytes-at-call'))
  const shared = new Uint8Array(new SharedArrayBuffer(8))
  shared.set(Buffer.from('shared'))
  const ids = ['first', bytes, shared.subarray(0, 6), 'last']
  const expected = ['first', 'bytes-at-call', 'shared', 'last'].map((id) => reference(SECRET, id))
  const pending = signer.signManyAsync(ids)
  ids[0] = 'changed'
  ids.length = 1
  bytes.fill(0x21)
  shared.fill(0x21)
  assert.deepEqual(await pending, expected)
})

test('the first bad element by index wins, whatever its problem', async () => {
  const emptyFirst = ['ok', '', 1.5]
  assert.throws(() => signer.signMany(emptyFirst), { code: 'ERR_REFINER_INVALID_USER_ID', message: /index 1\b/ })
  await assert.rejects(signer.signManyAsync(emptyFirst), { code: 'ERR_REFINER_INVALID_USER_ID', message: /index 1\b/ })
  const typeFirst = ['ok', 1.5, '']
  assert.throws(() => signer.signMany(typeFirst), { ...wrongType, message: /userIds\[1\]/ })
  assert.throws(() => signer.signManyAsync(typeFirst), { ...wrongType, message: /userIds\[1\]/ })
  const emptyBytesFirst = ['ok', 5, new Uint8Array(0), null]
  assert.throws(() => signer.signMany(emptyBytesFirst), { code: 'ERR_REFINER_INVALID_USER_ID', message: /index 2\b/ })
})

test('reading stops at the first bad element: later getters never run', () => {
  let ran = false
  const ids = ['ok', '', 'x']
  Object.defineProperty(ids, 2, {
    get() {
      ran = true
      return 'x'
    },
  })
  assert.throws(() => signer.signMany(ids), { code: 'ERR_REFINER_INVALID_USER_ID' })
  assert.equal(ran, false)
})

test('options.previous: a Proxy of an array is accepted, and its getter runs once', () => {
  let reads = 0
  const options = {
    get previous() {
      reads++
      return new Proxy(['old-key'], {})
    },
  }
  const rotating = new Signer('new-key', options)
  assert.equal(reads, 1)
  assert.equal(rotating.previousCount, 1)
  assert.equal(rotating.verify('42', reference('old-key', '42')), true)
  assert.throws(() => new Signer('k', { previous: { length: 1, 0: 'x' } }), wrongType)
})

test('Signer.fromEnv: a non-string name is ERR_INVALID_ARG_TYPE; an impossible name ERR_INVALID_ARG_VALUE', () => {
  for (const name of [5, {}, ['REFINER_SECRET_KEY'], Symbol('x'), 1n]) {
    assert.throws(() => Signer.fromEnv(name), { ...wrongType, message: /name/ })
  }
  for (const name of ['A\0B', 'A=B', '']) {
    assert.throws(() => Signer.fromEnv(name), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: /name/ })
  }
  process.env.REFINER_SECRET_KEY = SECRET
  assert.equal(Signer.fromEnv(null).sign('42'), reference(SECRET, '42'))
  assert.equal(Signer.fromEnv(undefined).sign('42'), reference(SECRET, '42'))
})

test('a getter that signs a batch of its own while the outer batch is read', async () => {
  const ids = ['outer-0', 'outer-1', 'outer-2']
  let inner
  Object.defineProperty(ids, 1, {
    get() {
      inner = signer.signMany(['inner-a', 5, 'inner-b'])
      return 'outer-1'
    },
  })
  assert.deepEqual(signer.signMany(ids), ['outer-0', 'outer-1', 'outer-2'].map((id) => reference(SECRET, id)))
  assert.deepEqual(inner, ['inner-a', '5', 'inner-b'].map((id) => reference(SECRET, id)))
})

test('results are ordinary arrays, the empty one included', async () => {
  for (const ids of [[], ['a'], Array.from({ length: 5000 }, (_, i) => `x${i}`)]) {
    for (const result of [signer.signMany(ids), await signer.signManyAsync(ids)]) {
      assert.ok(Array.isArray(result))
      assert.equal(Object.getPrototypeOf(result), Array.prototype)
      assert.equal(result.length, ids.length)
      result.push('extra') // extensible and writable like any array
      assert.equal(result.at(-1), 'extra')
    }
  }
})

test('strings and other ids interleaved in every pattern sign like crypto', () => {
  const patterns = ['s', 'n', 'b', 'ss', 'sn', 'ns', 'snsnsn', 'sssssssssn', 'nnnnnnnnnssssssssss', 'sbsbsb']
  for (const pattern of patterns) {
    for (const repeat of [1, 3, 2000]) {
      const ids = Array.from({ length: pattern.length * repeat }, (_, i) => {
        const kind = pattern[i % pattern.length]
        return kind === 's' ? `s${i}` : kind === 'n' ? i : Buffer.from(`b${i}`)
      })
      assert.deepEqual(signer.signMany(ids), ids.map((id) => reference(SECRET, typeof id === 'number' ? String(id) : id)))
    }
  }
})
