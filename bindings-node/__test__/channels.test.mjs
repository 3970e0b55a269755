// Every renderer, byte for byte against the standard-library reference
// (channels-reference.mjs), on hostile and on random identities.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import fc from 'fast-check'

import { Signer } from '../index.js'
import * as reference from './channels-reference.mjs'
import { SECRET } from './helpers.mjs'

const signer = new Signer(SECRET)
const URLS = ['https://survey.example/s/abc', 'http://example.test:8080/s?campaign=spring&x=a%20b#top', 'https://h.example/?', 'https://h.example/p?q=1&']

/** Checks every renderer for one identity (the nonce goes to the script tags, `link` to survey links only). */
function assertAllRenderers(identity, nonce, link = {}) {
  const withNonce = nonce === undefined ? identity : { ...identity, nonce }
  assert.equal(signer.identifyCall(identity), reference.identifyCall(SECRET, identity))
  assert.equal(signer.scriptTag(withNonce), reference.scriptTag(SECRET, withNonce))
  assert.equal(signer.gtmScriptTag(withNonce), reference.gtmScriptTag(SECRET, withNonce))
  // Parsed results: equal values and equal key order.
  const payload = signer.identifyPayload(identity)
  assert.deepEqual(payload, reference.identifyPayload(SECRET, identity))
  assert.equal(JSON.stringify(payload), JSON.stringify(reference.identifyPayload(SECRET, identity)))
  const gtm = signer.gtmTraits(identity)
  assert.equal(JSON.stringify(gtm), JSON.stringify(reference.gtmTraits(SECRET, identity)))
  const forLink = { ...identity, ...link }
  for (const url of URLS) assert.equal(signer.surveyLink(url, forLink), reference.surveyLink(SECRET, url, forLink))
}

const HOSTILE_TEXTS = [
  '</script><script>alert(1)</script>',
  '<!-- comment',
  'line\u2028separator\u2029paragraph',
  'quotes " and \' and `',
  'back\\slash \\u0041 \\n',
  'emoji 😀 👩‍👩‍👧 and é ü ß 山',
  'NUL \0 and controls \x01\x07\b\t\n\v\f\r\x1b\x1f\x7f',
  'a&b=c?d#e%20f+g h/i',
  'lone \ud800 surrogate and \udc00',
  '',
  'x'.repeat(10_000),
  '😀'.repeat(10_000),
]

test('hostile texts in every field', () => {
  for (const hostile of HOSTILE_TEXTS) {
    const identity = { id: `id-${hostile}`.slice(0, 200), email: hostile, name: hostile, traits: { note: hostile } }
    assertAllRenderers(identity, 'r4nd0m+/=_-')
    assertAllRenderers(identity, undefined, { locale: hostile, tags: hostile, response: { answer: hostile } })
  }
})

test('every trait type, as a plain object and as a Map', () => {
  const traits = {
    plan: 'pro',
    seats: 12,
    negative: -2147483647,
    largest: 2147483647,
    zero: -0,
    big: 42n,
    signed_up: new Date(Date.UTC(2023, 10, 14, 22, 13, 20, 999)),
    before_1970: new Date(-1),
    first_day: new Date('0001-01-01T00:00:00Z'),
    last_second: new Date('9999-12-31T23:59:59.999Z'),
    left_out: null,
    also_left_out: undefined,
    _under_score9: 'x',
  }
  assertAllRenderers({ id: 'user-1', traits }, 'abc')
  assertAllRenderers({ id: 'user-1', traits: new Map(Object.entries(traits)) })
  assertAllRenderers({ id: 'user-1', traits }, undefined, { response: new Map(Object.entries(traits)), tags: ['a', 'b c'], locale: 'fr' })
})

test('ids of every kind are rendered as the text that was signed', () => {
  for (const id of ['user-42', 42, -7, 0, 9007199254740991, 42n, 10n ** 30n, -(10n ** 30n), new Uint8Array(Buffer.from('bytes-é')), '\ud83d']) {
    const shown = id instanceof Uint8Array ? Buffer.from(id).toString('utf8') : id
    assert.equal(signer.identifyCall({ id }), reference.identifyCall(SECRET, { id: shown }))
    assert.equal(signer.surveyLink(URLS[0], { id }), reference.surveyLink(SECRET, URLS[0], { id: shown }))
    assert.equal(signer.identifyPayload({ id }).signature, signer.sign(id))
  }
})

test('empty and missing optionals are left out', () => {
  const minimal = { id: 'u' }
  for (const identity of [minimal, { id: 'u', email: null, name: undefined, traits: null }, { id: 'u', traits: {} }, { id: 'u', traits: new Map() }]) {
    assert.equal(signer.identifyCall(identity), reference.identifyCall(SECRET, minimal))
    assert.equal(signer.surveyLink(URLS[0], identity), reference.surveyLink(SECRET, URLS[0], minimal))
  }
  for (const link of [{ locale: '', tags: '', response: {} }, { locale: null, tags: [], response: null }, { locale: undefined, tags: null, response: new Map() }]) {
    assert.equal(signer.surveyLink(URLS[0], { id: 'u', ...link }), reference.surveyLink(SECRET, URLS[0], minimal))
  }
  assert.equal(signer.scriptTag({ id: 'u', nonce: null }), reference.scriptTag(SECRET, minimal))
  assert.deepEqual(signer.identifyPayload(minimal), { user: { id: 'u' }, signature: reference.signature(SECRET, 'u') })
})

test('the exact bytes of one identity, written out', () => {
  const identity = { id: 42, email: 'a@b.c', name: 'Zoë <z>', traits: { plan: 'pro', n: 3, at: new Date(0) } }
  const sig = reference.signature(SECRET, '42')
  const user = '{"id":"42","email":"a@b.c","name":"Zoë \\u003cz\\u003e","plan":"pro","n":3,"at":"1970-01-01T00:00:00Z"}'
  assert.equal(signer.identifyCall(identity), `_refiner('identifyUser',${user},{"signature":"${sig}"});`)
  assert.equal(signer.scriptTag({ ...identity, nonce: 'n1' }), `<script nonce="n1">_refiner('identifyUser',${user},{"signature":"${sig}"});</script>`)
  assert.equal(
    signer.surveyLink('https://s.example/x?a=1#f', { ...identity, locale: 'de', tags: ['x', 'y'], response: { q1: 'ja' } }),
    `https://s.example/x?a=1&contact_id=42&signature=${sig}&contact_email=a%40b.c&contact_name=Zo%C3%AB%20%3Cz%3E` +
      '&contact_plan=pro&contact_n=3&contact_at=1970-01-01T00%3A00%3A00Z&locale=de&tags=x%2Cy&response_q1=ja#f',
  )
})

// Random identities: names from the trait grammar, values of every type.
const traitName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/).filter((name) => !['id', 'email', 'name', 'signature', 'identify_verification_signature'].includes(name))
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom(...HOSTILE_TEXTS.slice(0, 9)))
const traitValue = fc.oneof(
  anyText,
  fc.integer({ min: -2147483647, max: 2147483647 }),
  fc.bigInt({ min: -2147483647n, max: 2147483647n }),
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
  fc.constant(null),
)
const traitsOf = fc.dictionary(traitName, traitValue, { maxKeys: 8 })
const identityArb = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1, unit: 'binary' }), fc.integer(), fc.bigInt()),
    email: fc.option(anyText),
    name: fc.option(anyText),
    traits: fc.oneof(traitsOf, traitsOf.map((traits) => new Map(Object.entries(traits)))),
    locale: fc.option(anyText),
    tags: fc.option(fc.oneof(fc.array(fc.string({ minLength: 1 }).filter((tag) => !tag.includes(',')), { maxLength: 4 }), anyText)),
    response: traitsOf,
  },
  { requiredKeys: ['id'] },
)

test('random identities: every renderer equals the reference', () => {
  fc.assert(
    fc.property(identityArb, fc.option(fc.stringMatching(/^[A-Za-z0-9+/=_-]{1,40}$/)), (identity, nonce) => {
      const { locale, tags, response, ...base } = identity
      assertAllRenderers(base, nonce ?? undefined)
      for (const url of URLS) {
        assert.equal(signer.surveyLink(url, identity), reference.surveyLink(SECRET, url, identity))
      }
    }),
    { numRuns: 500 },
  )
})

test('many traits and long texts (the reader grows its buffers)', () => {
  const traits = {}
  for (let i = 0; i < 3000; i++) traits[`t${i}`] = i % 3 ? `value ${i} é😀` : i
  const identity = { id: 'many', traits, email: 'é'.repeat(5000) }
  assertAllRenderers(identity, undefined, { tags: Array.from({ length: 500 }, (_, i) => `tag${i}`), response: new Map(Object.entries(traits)) })
  // The next call, with few traits, is not disturbed by the grown buffers.
  assertAllRenderers({ id: 'few', traits: { a: 1 } })
})
