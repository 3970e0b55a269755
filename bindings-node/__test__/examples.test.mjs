// The README's Express example runs, and the README shows it verbatim.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import { reference } from './helpers.mjs'

const require = createRequire(import.meta.url)
const examplePath = new URL('../examples/express-handler.js', import.meta.url)

test('the README shows the Express example verbatim', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  assert.ok(readme.includes(readFileSync(examplePath, 'utf8')))
})

test('the Express example answers with the signature of the logged-in user', async () => {
  process.env.REFINER_SECRET_KEY = 'express-example-key'
  const express = require('express')
  const router = require(examplePath.pathname)
  const app = express()
  app.use((req, _res, next) => {
    req.user = { id: 4711 }
    next()
  })
  app.use(router)
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  try {
    const response = await fetch(`http://127.0.0.1:${server.address().port}/refiner-identity`)
    assert.deepEqual(await response.json(), { id: '4711', signature: reference('express-example-key', '4711') })
  } finally {
    server.close()
  }
})
