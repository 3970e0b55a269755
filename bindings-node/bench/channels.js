// Renderer rows of the Node benchmark: `identifyCall` and `surveyLink` for a
// user with 5 traits, against `Signer.sign` (target: at most 4x its time) and
// against the same rendering written with Node's standard library
// (JSON.stringify + createHmac + encodeURIComponent; target: at least 5x
// faster). Outputs are asserted equal first.
'use strict'
const assert = require('node:assert/strict')
const { createHmac } = require('node:crypto')

const { Signer } = require('..')

const URL = 'https://refiner.example/s/abc?src=mail'
const USER = {
  id: 'user-1234567',
  email: 'jane@example.com',
  name: 'Jane Doe',
  traits: { plan: 'pro', seats: 5, company: 'Acme & Co', role: 'admin', score: 42 },
}
const MAX_VS_SIGN = 4
const MIN_VS_STDLIB = 5

const scriptSafe = (json) =>
  json.replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
const percent = (text) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)

function stdlibIdentifyCall(key, { id, email, name, traits }) {
  const signature = createHmac('sha256', key).update(id).digest('hex')
  const user = scriptSafe(JSON.stringify({ id, email, name, ...traits }))
  return `_refiner('identifyUser',${user},{"signature":"${signature}"});`
}

function stdlibSurveyLink(key, url, { id, email, name, traits }) {
  const signature = createHmac('sha256', key).update(id).digest('hex')
  const pairs = [['contact_id', id], ['signature', signature], ['contact_email', email], ['contact_name', name]]
  for (const [trait, value] of Object.entries(traits)) pairs.push([`contact_${trait}`, String(value)])
  return url + (url.includes('?') ? '&' : '?') + pairs.map(([k, v]) => `${percent(k)}=${percent(v)}`).join('&')
}

/** One row per renderer; `Signer.sign` is timed again beside each, so machine load hits both alike. */
function rows(key, medianNs) {
  const signer = new Signer(key)
  const sign = () => signer.sign(USER.id)
  const ours = {
    'Signer.identifyCall': () => signer.identifyCall(USER),
    'Signer.surveyLink': () => signer.surveyLink(URL, USER),
  }
  const theirs = {
    'Signer.identifyCall': () => stdlibIdentifyCall(key, USER),
    'Signer.surveyLink': () => stdlibSurveyLink(key, URL, USER),
  }
  return Object.entries(ours).map(([call, render]) => {
    assert.equal(render(), theirs[call](), `${call} differs from the stdlib rendering: nothing timed`)
    const signNs = medianNs(sign, 200_000)
    const ns = medianNs(render, 200_000)
    const stdlibNs = medianNs(theirs[call], 50_000)
    return {
      call: `${call} (5 traits)`,
      ns,
      stdlib_ns: stdlibNs,
      ratio: stdlibNs / ns,
      target: MIN_VS_STDLIB,
      sign_ns: signNs,
      vs_sign: ns / signNs,
      max_vs_sign: MAX_VS_SIGN,
    }
  })
}

function missed(results) {
  return results.filter((row) => row.ratio < row.target || row.vs_sign > row.max_vs_sign).map((row) => row.call)
}

function print(results) {
  console.log('| renderer | median ns per call | vs `signer.sign` (target <= 4x) | vs JSON.stringify + createHmac + encodeURIComponent (target >= 5x) |')
  console.log('|---|---:|---:|---:|')
  for (const row of results) {
    console.log(
      `| \`${row.call}\` | ${row.ns.toFixed(0)} | ${row.vs_sign.toFixed(1)}x (${row.sign_ns.toFixed(0)} ns) ` +
        `| ${row.ratio.toFixed(1)}x faster (${row.stdlib_ns.toFixed(0)} ns) |`,
    )
  }
  console.log()
}

module.exports = { rows, missed, print }
