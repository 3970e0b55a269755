// Hostile single values: each is signed exactly as createHmac signs what it
// holds, or refused with a clear coded error; never signed as something else.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { sign, verify, Signer } from '../index.js'
import { SECRET, reference } from './helpers.mjs'

const signer = new Signer(SECRET)
const wrongType = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }

/** Every single-id entry point gives `expected` for `userId`. */
function assertSigns(userId, expected) {
  assert.equal(sign(SECRET, userId), expected)
  assert.equal(signer.sign(userId), expected)
  assert.deepEqual(signer.signMany([userId]), [expected])
  assert.equal(verify(SECRET, userId, expected), true)
  assert.equal(signer.verify(userId, expected), true)
}

/** Every single-id entry point refuses `userId` with `error`. */
function assertRefused(userId, error = wrongType) {
  assert.throws(() => sign(SECRET, userId), error)
  assert.throws(() => signer.sign(userId), error)
  assert.throws(() => verify(SECRET, userId, '0'.repeat(64)), error)
  assert.throws(() => signer.signMany(['ok', userId]), { ...error, message: /userIds\[1\]|index 1\b/ })
}

const impostors = {
  'an object with valueOf': { valueOf: () => 'alice' },
  'an object with toString': { toString: () => 'alice' },
  'an object with Symbol.toPrimitive': { [Symbol.toPrimitive]: () => 'alice' },
  'a String wrapper': new String('alice'),
  'a Number wrapper': new Number(42),
  'a BigInt wrapper': Object(42n),
  'a subclass of String overriding toString': new (class extends String {
    toString() {
      return 'mallory'
    }
  })('alice'),
  'a Date': new Date(0),
  'an array of one string': ['alice'],
  'a Proxy of a Uint8Array': new Proxy(new Uint8Array([97]), {}),
  'a Uint16Array': new Uint16Array([97]),
  'a DataView': new DataView(new ArrayBuffer(1)),
  'a Float64Array': new Float64Array([1]),
  'a symbol': Symbol('alice'),
  'a function': () => 'alice',
  'a boolean': true,
  'null': null,
  'undefined': undefined,
}
for (const [name, value] of Object.entries(impostors)) {
  test(`${name} is a TypeError, never signed as what it converts to`, () => assertRefused(value))
}

test('numbers: fractions, NaN, Infinity and unsafe integers are TypeErrors naming the precision loss', () => {
  for (const value of [1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53)]) {
    assertRefused(value, { ...wrongType, message: /safe integer/ })
  }
})

test('a Uint8Array subclass overriding every method and getter signs its real bytes', () => {
  class Liar extends Uint8Array {
    get length() {
      return 1
    }
    get byteLength() {
      return 1
    }
    subarray() {
      return new Uint8Array([0x6d])
    }
    slice() {
      return new Uint8Array([0x6d])
    }
    toString() {
      return 'mallory'
    }
    *[Symbol.iterator]() {
      yield 0x6d
    }
  }
  const liar = new Liar([0x61, 0x6c, 0x69, 0x63, 0x65])
  assertSigns(liar, reference(SECRET, Buffer.from('alice')))
})

test('a Buffer signs its bytes even with Buffer and Uint8Array prototypes patched', () => {
  const id = Buffer.from('bytes-id')
  const expected = reference(SECRET, Buffer.from('bytes-id'))
  const saved = [Buffer.prototype.toString, Uint8Array.prototype.subarray]
  Buffer.prototype.toString = () => 'mallory'
  Uint8Array.prototype.subarray = () => new Uint8Array([1])
  try {
    assertSigns(id, expected)
  } finally {
    ;[Buffer.prototype.toString, Uint8Array.prototype.subarray] = saved
  }
})

test('a view into the middle of a larger buffer signs only its own bytes', () => {
  const whole = Buffer.from('xxalicexx')
  assertSigns(new Uint8Array(whole.buffer, whole.byteOffset + 2, 5), reference(SECRET, 'alice'))
})

test('10n ** 100000n signs as its 100,001 decimal digits, with BigInt.prototype.toString patched', () => {
  const big = 10n ** 100000n
  const expected = reference(SECRET, `1${'0'.repeat(100000)}`)
  const saved = BigInt.prototype.toString
  BigInt.prototype.toString = () => '7'
  try {
    assertSigns(big, expected)
    assertSigns(-big, reference(SECRET, `-1${'0'.repeat(100000)}`))
  } finally {
    BigInt.prototype.toString = saved
  }
})

test('a safe integer signs as its decimal with Number.prototype.toString patched', () => {
  const saved = Number.prototype.toString
  Number.prototype.toString = () => '7'
  try {
    assertSigns(9007199254740991, reference(SECRET, '9007199254740991'))
    assertSigns(-5, reference(SECRET, '-5'))
  } finally {
    Number.prototype.toString = saved
  }
})

test('a 100 MB string id and a 100 MB Uint8Array id sign like crypto', () => {
  const text = 'é'.repeat(50 * 1024 * 1024) // 100 MiB of UTF-8
  const expectedText = reference(SECRET, text)
  assert.equal(signer.sign(text), expectedText)
  assert.equal(sign(SECRET, text), expectedText)
  const bytes = new Uint8Array(100 * 1024 * 1024).fill(0x5a)
  bytes[bytes.length - 1] = 0x01
  assert.equal(signer.sign(bytes), reference(SECRET, bytes))
})

test('a Uint8Array over a SharedArrayBuffer signs its bytes', () => {
  const shared = new Uint8Array(new SharedArrayBuffer(16))
  shared.set(Buffer.from('shared-id'))
  const view = shared.subarray(0, 9)
  assertSigns(view, reference(SECRET, 'shared-id'))
})

test('a Uint8Array whose buffer was transferred (detached) is a TypeError saying so', () => {
  const bytes = new Uint8Array([0x61, 0x62])
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] })
  assertRefused(bytes, { ...wrongType, message: /detached/ })
  assert.throws(() => sign(bytes, 'id'), { ...wrongType, message: /secret.*detached/ })
  assert.throws(() => new Signer(bytes), { ...wrongType, message: /detached/ })
})

test('a secret Uint8Array detached by a getter later in the same call still signs with its bytes', () => {
  const key = new Uint8Array(Buffer.from('detach-me-secret'))
  const options = {
    get previous() {
      // The transfer moves the same memory to a new owner, which overwrites it.
      new Uint8Array(structuredClone(key.buffer, { transfer: [key.buffer] })).fill(0x41)
      return []
    },
  }
  const detachedSigner = new Signer(key, options)
  assert.equal(key.length, 0)
  assert.equal(detachedSigner.sign('42'), reference('detach-me-secret', '42'))
})

test('empty values are InvalidUserId errors, not signatures', () => {
  for (const empty of ['', new Uint8Array(0), Buffer.alloc(0)]) {
    assertRefused(empty, { code: 'ERR_REFINER_INVALID_USER_ID' })
  }
})
