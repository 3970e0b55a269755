// examples/channels.js runs and prints each renderer's output, equal to the reference.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

import * as reference from './channels-reference.mjs'

test('examples/channels.js prints every renderer, as the reference renders it', () => {
  const secret = 'demo-secret'
  const script = fileURLToPath(new URL('../examples/channels.js', import.meta.url))
  const run = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, REFINER_SECRET_KEY: secret } })
  assert.equal(run.status, 0, run.stderr)
  const user = {
    id: 42,
    email: 'ada@example.com',
    name: 'Ada </script> Lovelace',
    traits: { plan: 'pro', seats: 12, signed_up: new Date('2024-02-29T12:30:00Z') },
  }
  const survey = 'https://survey.refiner.io/s/abc123'
  const expected = [
    reference.identifyCall(secret, user),
    reference.scriptTag(secret, { ...user, nonce: 'r4nd0m' }),
    JSON.stringify(reference.identifyPayload(secret, user)),
    JSON.stringify(reference.gtmTraits(secret, user)),
    reference.gtmScriptTag(secret, user),
    reference.surveyLink(secret, survey, { ...user, locale: 'en', tags: ['beta', 'vip'] }),
    reference.surveyLink(secret, survey, { id: 'user-1' }),
    reference.surveyLink(secret, survey, { id: 'user-2', response: { nps: 9 } }),
  ]
  assert.deepEqual(run.stdout.split('\n'), [...expected, ''])
})
