// The README's Express and Fastify apps (examples/*-app.js) run as shown: the
// page's tag carries the CSP header's nonce, the JSON route answers the
// payload (401 when logged out), and a missing key stops the app at startup.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import * as reference from './channels-reference.mjs'
import { CANARY, listenExpress, listenFastify, withEnv } from './frameworks-helpers.mjs'

const require = createRequire(import.meta.url)
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const USER = { id: 4711, email: 'ada@example.com', name: 'Ada', plan: 'pro' }
const IDENTITY = { id: 4711, email: 'ada@example.com', name: 'Ada', traits: { plan: 'pro' } }

const frameworks = [
  {
    name: 'Express',
    file: '../examples/express-app.js',
    authenticate: (user) => (req, res, next) => {
      if (user) req.user = user
      next()
    },
    start: async (app) => listenExpress(app),
  },
  {
    name: 'Fastify',
    file: '../examples/fastify-app.js',
    authenticate: (user) => async (request) => {
      if (user) request.user = user
    },
    start: async (app) => listenFastify(app),
  },
]

for (const { name, file, authenticate, start } of frameworks) {
  const path = new URL(file, import.meta.url)

  test(`the README shows the ${name} app verbatim`, () => {
    assert.ok(readme.includes(readFileSync(path, 'utf8')))
  })

  test(`the ${name} app identifies the logged-in user under its CSP nonce`, async () => {
    const { createApp } = require(path.pathname)
    await withEnv('REFINER_SECRET_KEY', CANARY, async () => {
      const [server, anonymous] = await Promise.all([
        start(createApp(authenticate(USER))),
        start(createApp(authenticate(null))),
      ])
      try {
        const page = await fetch(server.base + '/')
        const nonce = /^script-src 'nonce-([A-Za-z0-9+/=]+)'$/.exec(page.headers.get('content-security-policy'))[1]
        const tag = reference.scriptTag(CANARY, { ...IDENTITY, nonce })
        assert.equal(await page.text(), `<!doctype html><html><head>${tag}</head><body>Welcome</body></html>`)
        const json = await fetch(server.base + '/refiner/identify')
        assert.equal(json.headers.get('cache-control'), 'no-store')
        assert.deepEqual(await json.json(), reference.identifyPayload(CANARY, IDENTITY))

        const empty = await fetch(anonymous.base + '/')
        assert.equal(await empty.text(), '<!doctype html><html><head></head><body>Welcome</body></html>')
        assert.equal((await fetch(anonymous.base + '/refiner/identify')).status, 401)
      } finally {
        await Promise.all([server.close(), anonymous.close()])
      }
    })
  })

  test(`the ${name} app does not start without REFINER_SECRET_KEY`, async () => {
    const { createApp } = require(path.pathname)
    await withEnv('REFINER_SECRET_KEY', undefined, async () => {
      const invalid = { code: 'ERR_REFINER_INVALID_SECRET', message: /REFINER_SECRET_KEY\): the variable is not set/ }
      if (name === 'Express') {
        assert.throws(() => createApp(authenticate(USER)), invalid)
      } else {
        const app = createApp(authenticate(USER))
        await assert.rejects(app.listen({ port: 0, host: '127.0.0.1' }), invalid)
      }
    })
  })
}
