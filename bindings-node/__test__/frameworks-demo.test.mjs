// scripts/frameworks-demo.mjs (make demo's Express and Fastify row) prints
// the reference identify call from both frameworks.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

import * as reference from './channels-reference.mjs'

test('the demo script prints the identify call both frameworks render', () => {
  const script = fileURLToPath(new URL('../scripts/frameworks-demo.mjs', import.meta.url))
  const user = { id: 42, email: 'jane@example.com', name: 'Jane </script>', traits: { plan: 'pro' } }
  const input = JSON.stringify({ key: 'demo-key', user })
  const run = spawnSync(process.execPath, [script], { input, encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  const expected = reference.identifyCall('demo-key', user)
  assert.deepEqual(JSON.parse(run.stdout), { express: expected, fastify: expected })
})
