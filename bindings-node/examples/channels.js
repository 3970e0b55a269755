// Every Refiner channel for one user: REFINER_SECRET_KEY=demo-secret node examples/channels.js
const { Signer } = require('refiner-identity')

const signer = Signer.fromEnv() // reads REFINER_SECRET_KEY
const user = {
  id: 42, // rendered as "42": the exact text that was signed
  email: 'ada@example.com',
  name: 'Ada </script> Lovelace',
  traits: { plan: 'pro', seats: 12, signed_up: new Date('2024-02-29T12:30:00Z') },
}

// The web client's call, and the same inside a <script> with a CSP nonce.
console.log(signer.identifyCall(user))
console.log(signer.scriptTag({ ...user, nonce: 'r4nd0m' }))
// JSON for a single-page app or a mobile backend.
console.log(JSON.stringify(signer.identifyPayload(user)))
// Google Tag Manager: the traits object, or a dataLayer push.
console.log(JSON.stringify(signer.gtmTraits(user)))
console.log(signer.gtmScriptTag(user))
// A survey link, one or many (many are made on all cores).
console.log(signer.surveyLink('https://survey.refiner.io/s/abc123', { ...user, locale: 'en', tags: ['beta', 'vip'] }))
console.log(signer.surveyLinks('https://survey.refiner.io/s/abc123', [{ id: 'user-1' }, { id: 'user-2', response: { nps: 9 } }]).join('\n'))
