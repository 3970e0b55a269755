// Every bad renderer input: the right error kind, a message naming the field,
// and never the secret.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inspect } from 'node:util'

import { Signer } from '../index.js'
import { SECRET } from './helpers.mjs'

const signer = new Signer(SECRET)
const URL = 'https://survey.example/s/abc'
const TRAIT = 'ERR_REFINER_INVALID_TRAIT'
const OPTION = 'ERR_REFINER_INVALID_OPTION'
const USER_ID = 'ERR_REFINER_INVALID_USER_ID'
const ARG = 'ERR_INVALID_ARG_TYPE'

/** Every renderer that takes this identity must throw `expected`, without the secret. */
function assertRefused(identity, expected, renderers = ['identifyCall', 'scriptTag', 'identifyPayload', 'gtmTraits', 'gtmScriptTag', 'surveyLink']) {
  for (const renderer of renderers) {
    const call = renderer === 'surveyLink' ? () => signer.surveyLink(URL, identity) : () => signer[renderer](identity)
    assert.throws(call, (error) => {
      const shown = `${error.message} ${error.stack} ${inspect(error)}`
      assert.ok(!shown.includes(SECRET) && !shown.includes(SECRET.slice(0, 12)), shown)
      return true
    })
    assert.throws(call, expected, `${renderer}(${inspect(identity)})`)
  }
}

const BAD_TRAITS = [
  [{ 'bad name': 1 }, /trait "bad name": a name must match/],
  [{ '1abc': 1 }, /trait "1abc"/],
  [{ 'a-b': 1 }, /trait "a-b"/],
  [{ '': 'x' }, /trait "": a name must match/],
  [{ ['n'.repeat(101)]: 'x' }, /at most 100 characters/],
  [{ id: 'x' }, /trait "id": .*written by the renderer/],
  [{ email: 'x' }, /trait "email"/],
  [{ signature: 'x' }, /trait "signature"/],
  [{ identify_verification_signature: 'x' }, /trait "identify_verification_signature"/],
  [{ count: 2147483648 }, /trait "count": Refiner accepts integers from -2147483647 to 2147483647/],
  [{ count: -2147483648 }, /trait "count": Refiner accepts integers/],
  [{ count: 2n ** 31n }, /trait "count": Refiner accepts integers/],
  [{ count: 10n ** 40n }, /trait "count": Refiner accepts integers/],
  [{ count: 2 ** 60 }, /trait "count": Refiner accepts integers/],
  [{ flag: true }, /trait "flag": .*not a boolean/],
  [{ ratio: 1.5 }, /trait "ratio": .*not the number 1\.5/],
  [{ ratio: NaN }, /trait "ratio": .*NaN/],
  [{ ratio: Infinity }, /trait "ratio": .*Infinity/],
  [{ list: ['a'] }, /trait "list": .*not an array/],
  [{ nested: { a: 1 } }, /trait "nested": .*not an object/],
  [{ map: new Map() }, /trait "map": .*not a Map/],
  [{ sym: Symbol('s') }, /trait "sym": .*not a symbol/],
  [{ fn: () => 'x' }, /trait "fn": .*not a function/],
  [{ boxed: new String('x') }, /trait "boxed": .*not an object/],
  [{ boxed: new Number(5) }, /trait "boxed"/],
  [{ bytes: new Uint8Array(1) }, /trait "bytes": .*typed array/],
  [{ when: new Date(NaN) }, /trait "when": .*invalid Date/],
  [{ when: new Date('0000-12-31T23:59:59Z') }, /trait "when": a timestamp must fall in the years 1 to 9999/],
  [{ when: new Date('+010000-01-01T00:00:00Z') }, /trait "when": a timestamp must fall/],
  [{ long: 'x'.repeat(10_001) }, /trait "long": Refiner accepts text of at most 10,000 characters/],
  [{ long: '😀'.repeat(10_001) }, /trait "long": Refiner accepts text of at most 10,000/],
]

test('bad traits throw ERR_REFINER_INVALID_TRAIT naming the trait, in every renderer', () => {
  for (const [traits, message] of BAD_TRAITS) {
    assertRefused({ id: 'u', traits }, { name: 'Error', code: TRAIT, message })
    assertRefused({ id: 'u', traits: new Map(Object.entries(traits)) }, { code: TRAIT, message })
  }
})

test('bad response values throw naming the response value', () => {
  for (const [traits, message] of BAD_TRAITS) {
    const named = new RegExp(message.source.replace('trait "', 'response value "'))
    assert.throws(() => signer.surveyLink(URL, { id: 'u', response: traits }), { code: TRAIT, message: named })
  }
})

test('a Map key that is not a string is a bad trait name', () => {
  for (const key of [1, Symbol('k'), {}, null]) {
    assertRefused({ id: 'u', traits: new Map([[key, 'x']]) }, { code: TRAIT, message: /a name must match/ })
  }
})

test('email and name must be strings', () => {
  for (const bad of [5, true, ['a'], { a: 1 }, new String('x'), 5n]) {
    assertRefused({ id: 'u', email: bad }, { code: TRAIT, message: /^invalid email: Refiner accepts/ })
    assertRefused({ id: 'u', name: bad }, { code: TRAIT, message: /^invalid name: / })
  }
  assertRefused({ id: 'u', name: 'n'.repeat(10_001) }, { code: TRAIT, message: /^invalid name: .*10,000/ })
})

test('bad nonces are refused and never echoed', () => {
  for (const nonce of ['a b', '<x>', '"><script>', 'n'.repeat(257), '', 'é']) {
    for (const renderer of ['scriptTag', 'gtmScriptTag']) {
      assert.throws(() => signer[renderer]({ id: 'u', nonce }), (error) => {
        assert.equal(error.code, OPTION)
        assert.match(error.message, /^invalid nonce: .*it is not shown here/)
        assert.ok(nonce.length < 3 || !error.message.includes(nonce))
        return true
      })
    }
  }
  assert.throws(() => signer.scriptTag({ id: 'u', nonce: 5 }), { code: OPTION, message: /^invalid nonce: expected a string, not the number 5/ })
  assert.equal(signer.scriptTag({ id: 'u', nonce: 'n'.repeat(256) }).slice(0, 15), '<script nonce="')
})

test('bad tags and locales', () => {
  const link = (options) => () => signer.surveyLink(URL, { id: 'u', ...options })
  assert.throws(link({ tags: ['a', 'b,c'] }), { code: OPTION, message: /^invalid tags\[1\]: a tag may not hold a comma/ })
  assert.throws(link({ tags: ['a', ''] }), { code: OPTION, message: /^invalid tags\[1\]: a tag may not be empty/ })
  assert.throws(link({ tags: ['a', 5] }), { code: OPTION, message: /^invalid tags\[1\]: expected a string, not the number 5/ })
  assert.throws(link({ tags: 5 }), { code: OPTION, message: /^invalid tags: expected a string or an array of strings/ })
  assert.throws(link({ tags: new Set(['a']) }), { code: OPTION, message: /^invalid tags: / })
  assert.throws(link({ locale: ['fr'] }), { code: OPTION, message: /^invalid locale: expected a string, not an array/ })
})

test('bad survey URLs', () => {
  const cases = [
    ['ftp://survey.example/s', /must be absolute, starting with https:\/\/ or http:\/\//],
    ['/s/abc', /must be absolute/],
    ['survey.example/s', /must be absolute/],
    ['https://user@survey.example/s', /may not hold user info/],
    ['https://user:pw@survey.example/s', /may not hold user info/],
    ['https:///s', /needs a host/],
    ['https://survey.example/s?contact_id=7', /already has a contact_id parameter/],
    ['https://survey.example/s?a=1&signature=x', /already has a signature parameter/],
    ['https://survey.example/s?contact_email=x', /already has a contact_email parameter/],
    ['https://survey.example/s a', /printable ASCII/],
    ['', /printable ASCII/],
  ]
  for (const [url, message] of cases) {
    assert.throws(() => signer.surveyLink(url, { id: 'u' }), { code: OPTION, message: new RegExp(`^invalid survey url: .*${message.source}`) })
    assert.throws(() => signer.surveyLinks(url, [{ id: 'u' }]), { code: OPTION, message })
  }
  assert.throws(() => signer.surveyLink('https://s.example/?tags=x', { id: 'u', tags: 'y' }), { code: OPTION, message: /already has a tags parameter/ })
  for (const url of [undefined, 5, new String('https://s.example/'), null]) {
    assert.throws(() => signer.surveyLink(url, { id: 'u' }), { name: 'TypeError', code: ARG, message: /^url must be a string/ })
  }
})

test('bad ids', () => {
  assertRefused({ id: new Uint8Array([0x75, 0xff, 0xfe]) }, { code: USER_ID, message: /raw bytes that are not valid UTF-8/ })
  assertRefused({ id: '' }, { code: USER_ID, message: /non-empty/ })
  assertRefused({ id: 1.5 }, { name: 'TypeError', code: ARG, message: /^identity\.id: / })
  assertRefused({ id: true }, { name: 'TypeError', code: ARG, message: /^identity\.id: user id must be/ })
  assertRefused({ email: 'a@b.c' }, { name: 'TypeError', code: ARG, message: /^identity\.id: .*received undefined/ })
})

test('the identity must be an object with known keys only', () => {
  for (const bad of [undefined, null, 'u', 42, ['u'], () => 'u']) {
    assertRefused(bad, { name: 'TypeError', code: ARG, message: /^identity must be an object such as \{ id, / })
  }
  assertRefused({ id: 'u', mail: 'typo@x' }, { name: 'TypeError', code: ARG, message: /^identity has an unknown key "mail"; the keys are id, email, name, traits/ })
  assert.throws(() => signer.identifyCall({ id: 'u', nonce: 'abc' }), { code: ARG, message: /unknown key "nonce"/ })
  assert.throws(() => signer.scriptTag({ id: 'u', locale: 'fr' }), { code: ARG, message: /unknown key "locale"; the keys are id, email, name, traits, nonce/ })
  assert.throws(() => signer.surveyLink(URL, { id: 'u', nonce: 'abc' }), { code: ARG, message: /unknown key "nonce"; the keys are id, email, name, traits, locale, tags, response/ })
  assert.throws(() => signer.identifyCall({ id: 'u', 0: 'x' }), { code: ARG, message: /unknown key "0"/ })
  for (const traits of [['a'], 'a=1', 5, new Date(), new Uint8Array(2)]) {
    assertRefused({ id: 'u', traits }, { name: 'TypeError', code: ARG, message: /^identity\.traits must be a plain object or a Map/ })
  }
  assert.throws(() => signer.surveyLink(URL, { id: 'u', response: [1] }), { code: ARG, message: /^identity\.response must be a plain object or a Map/ })
})

test('a canary secret never shows in any error, whatever went wrong', () => {
  const canary = 'canary-secret-7f3a9c-DO-NOT-LEAK'
  const leaky = new Signer(canary)
  const attempts = [
    () => leaky.identifyCall({ id: canary.slice(0, 3), traits: { flag: true } }),
    () => leaky.scriptTag({ id: 'u', nonce: 'a b' }),
    () => leaky.surveyLink('ftp://x', { id: 'u' }),
    () => leaky.surveyLinks(URL, [{ id: 'u' }, { id: '' }]),
    () => leaky.gtmTraits({ id: 'u', extra: 1 }),
    () => leaky.identifyPayload({ id: new Uint8Array([0xff]) }),
  ]
  for (const attempt of attempts) {
    assert.throws(attempt, (error) => {
      const shown = `${error.message} ${error.stack} ${inspect(error)} ${JSON.stringify(error)}`
      assert.ok(!shown.includes(canary) && !shown.includes('canary-secret'), shown)
      return true
    })
  }
  assert.ok(!inspect(leaky).includes('canary'))
})
