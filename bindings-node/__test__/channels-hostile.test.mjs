// Hostile host objects given to the renderers: getters, Proxies, prototype
// pollution, subclasses and patched built-ins. Each gives the reference
// rendering of what was read once, or a clear error; never anything else.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Signer } from '../index.js'
import * as reference from './channels-reference.mjs'
import { SECRET } from './helpers.mjs'

const signer = new Signer(SECRET)
const URL = 'https://survey.example/s'

/** Runs `body` with `target[key]` replaced, restoring it afterwards. */
function patched(target, key, replacement, body) {
  const original = Object.getOwnPropertyDescriptor(target, key)
  Object.defineProperty(target, key, { value: replacement, configurable: true, writable: true })
  try {
    return body()
  } finally {
    if (original) Object.defineProperty(target, key, original)
    else delete target[key]
  }
}

test('each property is read exactly once, getters included', () => {
  const reads = {}
  const counted = (key, values) => {
    let call = 0
    return {
      enumerable: true,
      get() {
        reads[key] = (reads[key] ?? 0) + 1
        return values[Math.min(call++, values.length - 1)]
      },
    }
  }
  const traits = Object.defineProperties({}, { plan: counted('plan', ['first', 'second']) })
  const identity = Object.defineProperties({}, {
    id: counted('id', ['id-1', 'id-2']),
    email: counted('email', ['a@x', 'b@x']),
    traits: counted('traits', [traits, { other: 1 }]),
  })
  assert.equal(signer.identifyCall(identity), reference.identifyCall(SECRET, { id: 'id-1', email: 'a@x', traits: { plan: 'first' } }))
  assert.deepEqual(reads, { id: 1, email: 1, traits: 1, plan: 1 })
})

test('inherited properties are never read (prototype pollution)', () => {
  // Expected values are made before the pollution (the reference would see it).
  const expected = [
    reference.identifyCall(SECRET, { id: 'u' }),
    reference.scriptTag(SECRET, { id: 'u' }),
    reference.identifyCall(SECRET, { id: 'u', traits: { a: 1 } }),
    reference.surveyLink(SECRET, URL, { id: 'u' }),
  ]
  for (const key of ['email', 'name', 'traits', 'nonce', 'locale', 'tags', 'response', 'a']) {
    const polluted = ['traits', 'response'].includes(key) ? { role: 'admin' } : 'polluted'
    patched(Object.prototype, key, polluted, () => {
      const rendered = [
        signer.identifyCall({ id: 'u' }),
        signer.scriptTag({ id: 'u' }),
        signer.identifyCall({ id: 'u', traits: { a: 1 } }),
        signer.surveyLink(URL, { id: 'u' }),
      ]
      assert.deepEqual(rendered, expected, `Object.prototype.${key}`)
    })
  }
  assert.throws(() => signer.identifyCall(Object.create({ id: 'inherited' })), { name: 'TypeError', message: /received undefined/ })
  class User {
    get id() {
      return 'from-prototype-getter'
    }
  }
  assert.throws(() => signer.identifyCall(new User()), { name: 'TypeError', message: /identity\.id/ })
})

test('symbol and non-enumerable keys are ignored', () => {
  const identity = { id: 'u', [Symbol('secret')]: 'x', traits: { a: 1, [Symbol('b')]: 2 } }
  Object.defineProperty(identity, 'hidden', { value: 'x', enumerable: false })
  assert.equal(signer.identifyCall(identity), reference.identifyCall(SECRET, { id: 'u', traits: { a: 1 } }))
})

test('a Proxy is read through its traps, once per key', () => {
  const log = []
  const handler = {
    get(target, key, receiver) {
      log.push(`get ${String(key)}`)
      return Reflect.get(target, key, receiver)
    },
  }
  const identity = new Proxy({ id: 'u', email: 'e@x', traits: new Proxy({ a: 'b' }, handler) }, handler)
  assert.equal(signer.identifyCall(identity), reference.identifyCall(SECRET, { id: 'u', email: 'e@x', traits: { a: 'b' } }))
  assert.deepEqual(log.filter((entry) => !entry.includes('Symbol')), ['get id', 'get email', 'get traits', 'get a'])
})

test('a throwing getter propagates its own error', () => {
  const boom = new Error('boom from getter')
  const identity = { id: 'u', get email() { throw boom } }
  assert.throws(() => signer.identifyCall(identity), (error) => error === boom)
  assert.throws(() => signer.surveyLinks(URL, [{ id: 'a' }, identity]), (error) => error === boom)
  // The binding still works afterwards.
  assert.equal(signer.identifyCall({ id: 'u' }), reference.identifyCall(SECRET, { id: 'u' }))
})

test('a getter calling the renderer again (re-entrancy) gets its own answer', () => {
  let inner
  const identity = {
    id: 'outer',
    get name() {
      inner = signer.identifyCall({ id: 'inner', traits: { x: 1 } })
      return 'n'
    },
  }
  assert.equal(signer.identifyCall(identity), reference.identifyCall(SECRET, { id: 'outer', name: 'n' }))
  assert.equal(inner, reference.identifyCall(SECRET, { id: 'inner', traits: { x: 1 } }))
})

test('patched Map built-ins and Map subclasses do not change the traits read', () => {
  const entries = [['plan', 'pro'], ['seats', 3]]
  const expected = reference.identifyCall(SECRET, { id: 'u', traits: Object.fromEntries(entries) })
  const bogus = function* () {
    yield ['evil', 'x']
  }
  const iteratorPrototype = Object.getPrototypeOf(new Map().entries())
  patched(Map.prototype, 'entries', bogus, () => assert.equal(signer.identifyCall({ id: 'u', traits: new Map(entries) }), expected))
  patched(Map.prototype, Symbol.iterator, bogus, () => assert.equal(signer.identifyCall({ id: 'u', traits: new Map(entries) }), expected))
  patched(Map.prototype, 'forEach', () => {}, () => assert.equal(signer.identifyCall({ id: 'u', traits: new Map(entries) }), expected))
  patched(iteratorPrototype, 'next', () => ({ done: true }), () => assert.equal(signer.identifyCall({ id: 'u', traits: new Map(entries) }), expected))
  class Sneaky extends Map {
    entries() {
      return bogus()
    }
    [Symbol.iterator]() {
      return bogus()
    }
    get size() {
      return 0
    }
  }
  assert.equal(signer.identifyCall({ id: 'u', traits: new Sneaky(entries) }), expected)
  // A real Map whose prototype was swapped is still read as a Map.
  const disguised = Object.setPrototypeOf(new Map(entries), Object.prototype)
  assert.equal(signer.identifyCall({ id: 'u', traits: disguised }), expected)
  // An impostor with Map's prototype but no entries reads as an object with no keys.
  assert.equal(signer.identifyCall({ id: 'u', traits: Object.create(Map.prototype) }), reference.identifyCall(SECRET, { id: 'u' }))
})

test('Dates are read from their time value, not their methods', () => {
  const at = new Date(Date.UTC(2024, 1, 29, 12, 0, 0))
  const expected = reference.identifyCall(SECRET, { id: 'u', traits: { at } })
  class Lying extends Date {
    getTime() {
      return 0
    }
    valueOf() {
      return 0
    }
    toISOString() {
      return 'lie'
    }
  }
  assert.equal(signer.identifyCall({ id: 'u', traits: { at: new Lying(at.getTime()) } }), expected)
  patched(Date.prototype, 'getTime', () => 0, () => {
    patched(Date.prototype, 'toISOString', () => 'lie', () => assert.equal(signer.identifyCall({ id: 'u', traits: { at } }), expected))
  })
  // Not a Date, whatever its prototype says.
  assert.throws(() => signer.identifyCall({ id: 'u', traits: { at: Object.create(Date.prototype) } }), { code: 'ERR_REFINER_INVALID_TRAIT', message: /trait "at"/ })
})

test('patched JSON.parse does not change identifyPayload, gtmTraits or surveyLinks', () => {
  const identity = { id: 'u', traits: { a: 1 } }
  patched(JSON, 'parse', () => ({ forged: true }), () => {
    assert.deepEqual(signer.identifyPayload(identity), reference.identifyPayload(SECRET, identity))
    assert.deepEqual(signer.gtmTraits(identity), reference.gtmTraits(SECRET, identity))
    assert.deepEqual(signer.surveyLinks(URL, [identity]), [reference.surveyLink(SECRET, URL, identity)])
  })
})

test('patched Object.keys, Object.entries, Array and String methods change nothing', () => {
  const identity = { id: 'u', email: 'e@x', traits: { a: 'b', n: 1 } }
  const link = { ...identity, tags: ['x', 'y'] }
  const expected = [reference.identifyCall(SECRET, identity), reference.surveyLink(SECRET, URL, link)]
  const patches = [
    [Object, 'keys', () => ['evil']],
    [Object, 'entries', () => [['evil', 1]]],
    [Array.prototype, 'join', () => 'evil'],
    [Array.prototype, 'push', () => 0],
    [Array.prototype, 'map', () => []],
    [Array.prototype, Symbol.iterator, function* () {}],
    [String.prototype, 'slice', () => 'evil'],
    [String.prototype, 'toString', () => 'evil'],
    [Object.prototype, 'toString', () => 'evil'],
    [Object.prototype, 'hasOwnProperty', () => false],
    [Reflect, 'ownKeys', () => []],
  ]
  for (const [target, key, replacement] of patches) {
    patched(target, key, replacement, () => {
      assert.deepEqual([signer.identifyCall(identity), signer.surveyLink(URL, link)], expected, `patched ${String(key)}`)
      assert.deepEqual(signer.surveyLinks(URL, [link]), [expected[1]], `patched ${String(key)}`)
    })
  }
})

test('objects with valueOf / toString / Symbol.toPrimitive are refused, never coerced', () => {
  const coercible = { valueOf: () => 5, toString: () => 'five', [Symbol.toPrimitive]: () => 'five' }
  assert.throws(() => signer.identifyCall({ id: 'u', traits: { n: coercible } }), { code: 'ERR_REFINER_INVALID_TRAIT', message: /not an object/ })
  assert.throws(() => signer.identifyCall({ id: 'u', email: coercible }), { code: 'ERR_REFINER_INVALID_TRAIT', message: /email/ })
  assert.throws(() => signer.identifyCall({ id: coercible }), { name: 'TypeError' })
  assert.throws(() => signer.surveyLink(coercible, { id: 'u' }), { name: 'TypeError', message: /url must be a string/ })
})

test('class instances and null-prototype objects are read by their own keys', () => {
  class Traits {
    constructor() {
      this.plan = 'pro'
    }
    get ignored() {
      return 'x'
    }
  }
  const expected = reference.identifyCall(SECRET, { id: 'u', traits: { plan: 'pro' } })
  assert.equal(signer.identifyCall({ id: 'u', traits: new Traits() }), expected)
  const bare = Object.assign(Object.create(null), { id: 'u', traits: Object.assign(Object.create(null), { plan: 'pro' }) })
  assert.equal(signer.identifyCall(bare), expected)
})

test('a 100 MB text trait is refused by length, and a 10,000-character one is rendered', () => {
  assert.throws(() => signer.identifyCall({ id: 'u', traits: { big: 'x'.repeat(100 * 1024 * 1024) } }), { code: 'ERR_REFINER_INVALID_TRAIT', message: /10,000/ })
  const tenThousand = { id: 'u', traits: { t: 'é'.repeat(10_000) } }
  assert.equal(signer.identifyCall(tenThousand), reference.identifyCall(SECRET, tenThousand))
})

test('the renderers refuse a receiver that is not a Signer', () => {
  for (const method of ['identifyCall', 'scriptTag', 'identifyPayload', 'gtmTraits', 'gtmScriptTag']) {
    for (const receiver of [{}, Object.create(Signer.prototype), undefined]) {
      assert.throws(() => Signer.prototype[method].call(receiver, { id: 'u' }), {
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
        message: `Signer.prototype.${method} called on something that is not a Signer`,
      })
    }
  }
  assert.throws(() => Signer.prototype.surveyLink.call(Object.create(Signer.prototype), URL, { id: 'u' }), { name: 'TypeError' })
  assert.throws(() => Signer.prototype.surveyLinks.call({}, URL, []), { name: 'TypeError' })
})

test('a key deleted by an earlier getter is absent, never read from the prototype', () => {
  const identity = Object.create({ id: 'inherited' })
  Object.defineProperty(identity, 'email', {
    enumerable: true,
    configurable: true,
    get() {
      delete this.id
      return 'e@example.com'
    },
  })
  identity.id = 'own'
  assert.throws(() => signer.identifyCall(identity), { name: 'TypeError', message: /identity\.id: .*received undefined/ })
  const traits = Object.create({ plan: 'inherited' })
  Object.defineProperty(traits, 'first', {
    enumerable: true,
    configurable: true,
    get() {
      delete this.plan
      return 1
    },
  })
  traits.plan = 'own'
  assert.equal(signer.identifyCall({ id: 'u', traits }), reference.identifyCall(SECRET, { id: 'u', traits: { first: 1 } }))
})

test('traits and response whose contents are not own properties are refused, not read as empty', () => {
  const opaque = [new Set(['a']), new WeakMap(), new WeakSet(), Promise.resolve(1), new Map([['a', 1]]).entries(),
    new Proxy(new Map([['plan', 'pro']]), {}), Object(5)]
  for (const container of opaque) {
    assert.throws(() => signer.identifyCall({ id: 'u', traits: container }), {
      code: 'ERR_INVALID_ARG_TYPE',
      message: /identity\.traits must be a plain object or a Map .* not its own properties/,
    })
    assert.throws(() => signer.surveyLink(URL, { id: 'u', response: container }), { message: /identity\.response must be/ })
  }
  // A Proxy of a plain object (a reactive store's, say) is read through its traps.
  const reactive = new Proxy({ plan: 'pro' }, {})
  assert.equal(signer.identifyCall({ id: 'u', traits: reactive }), reference.identifyCall(SECRET, { id: 'u', traits: { plan: 'pro' } }))
})

test('tags with an invalid length, a hole or a bad element are refused at the first bad one', () => {
  for (const length of [1.5, -1, '1', Infinity, 2 ** 32]) {
    const tags = new Proxy(['vip', null], { get: (target, key) => (key === 'length' ? length : target[key]) })
    assert.throws(() => signer.surveyLink(URL, { id: 'u', tags, response: { q: 1 } }), {
      code: 'ERR_REFINER_INVALID_OPTION',
      message: /tags: .*not a valid array length/,
    })
  }
  // A hole is undefined, whatever Array.prototype holds at that index.
  patched(Array.prototype, 0, 'evil', () => {
    assert.throws(() => signer.surveyLink(URL, { id: 'u', tags: [, 'b'] }), { code: 'ERR_REFINER_INVALID_OPTION', message: /tags\[0\]/ })
  })
  const sparse = new Array(2 ** 32 - 1)
  sparse[5] = 'late'
  assert.throws(() => signer.surveyLink(URL, { id: 'u', tags: sparse }), { message: /tags\[0\]/ })
})

test('a patched typed-array length getter takes no part in reading identities', () => {
  const lengthOwner = Object.getPrototypeOf(Uint8Array.prototype)
  const original = Object.getOwnPropertyDescriptor(lengthOwner, 'length')
  const traits = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`t${i}`, i]))
  const expected = reference.identifyCall(SECRET, { id: 'u', traits })
  for (const getter of [() => 1e9, () => 0, function () { return original.get.call(this) }]) {
    Object.defineProperty(lengthOwner, 'length', { get: getter, configurable: true })
    try {
      assert.equal(signer.identifyCall({ id: 'u', traits }), expected)
      assert.deepEqual(signer.surveyLinks(URL, [{ id: 'u', traits }]), [reference.surveyLink(SECRET, URL, { id: 'u', traits })])
    } finally {
      Object.defineProperty(lengthOwner, 'length', original)
    }
  }
})

test('texts too long for one JavaScript string are a clear error, not a RangeError without a code', () => {
  const huge = 'x'.repeat(2 ** 28)
  assert.throws(() => signer.identifyCall({ id: 'u', email: huge, name: huge }), {
    code: 'ERR_INVALID_ARG_VALUE',
    message: /identity: its strings together are longer than the longest JavaScript string/,
  })
})

test('a huge sparse identities array fails at its first hole without reserving its length', () => {
  assert.throws(() => signer.surveyLinks(URL, new Array(2 ** 32 - 1)), { code: 'ERR_INVALID_ARG_TYPE', message: /identities\[0\]/ })
})
