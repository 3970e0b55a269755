// refiner-identity/fastify in a real Fastify 5 app on 127.0.0.1, requested with
// fetch; expected values from the stdlib reference (channels-reference.mjs).
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { inspect } from 'node:util'

import Fastify from 'fastify'
import { refinerIdentity } from 'refiner-identity/fastify'

import * as reference from './channels-reference.mjs'
import { CANARY, HOSTILE_USER, identityOf, listenFastify, memoryStream, withEnv } from './frameworks-helpers.mjs'

const require = createRequire(import.meta.url)

/** An app whose requests are logged in as `user` (none when null); warnings go to `stream`. */
function appFor(user, options = {}, { stream = memoryStream(), seen = {} } = {}) {
  const app = Fastify({ logger: { level: 'warn', stream } })
  app.addHook('onRequest', async (request) => {
    if (user !== null) request.user = user
  })
  app.register(refinerIdentity, {
    secret: CANARY,
    getUser: (request) => request.user && identityOf(request.user),
    ...options,
  })
  app.get('/page', async (request, reply) => {
    seen.request = request
    reply.type('text/html')
    return `<head>${request.refiner?.scriptTag ?? ''}</head>`
  })
  app.get('/fail', async () => {
    throw new Error('the page failed')
  })
  return app
}

async function get(base, path) {
  const response = await fetch(base + path)
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/** The warnings among pino's JSON lines. */
const warnings = (stream) => stream.lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40)

test('CommonJS require and ESM import give the same plugin', () => {
  assert.equal(require('refiner-identity/fastify').refinerIdentity, refinerIdentity)
})

test('a logged-in user gets request.refiner; the JSON route answers the payload', async () => {
  const seen = {}
  const server = await listenFastify(appFor(HOSTILE_USER, {}, { seen }))
  try {
    const identity = identityOf(HOSTILE_USER)
    const page = await get(server.base, '/page')
    assert.equal(page.status, 200)
    assert.equal(page.text, `<head>${reference.scriptTag(CANARY, identity)}</head>`)
    assert.deepEqual({ ...seen.request.refiner }, {
      scriptTag: reference.scriptTag(CANARY, identity),
      identifyCall: reference.identifyCall(CANARY, identity),
      payload: reference.identifyPayload(CANARY, identity),
    })
    const json = await get(server.base, '/refiner/identify')
    assert.equal(json.status, 200)
    assert.equal(json.headers.get('cache-control'), 'no-store')
    assert.deepEqual(JSON.parse(json.text), reference.identifyPayload(CANARY, identity))
    assert.equal(JSON.parse(json.text).signature, reference.signature(CANARY, HOSTILE_USER.id))
  } finally {
    await server.close()
  }
})

test('the tag carries reply.cspNonce.script (@fastify/helmet), or what the nonce option returns', async () => {
  const user = { id: 7, plan: 'pro' }
  for (const [options, nonce] of [
    [{}, 'helmet+/Nonce='],
    [{ nonce: () => 'from-option_1' }, 'from-option_1'],
  ]) {
    const app = Fastify()
    app.addHook('onRequest', async (request, reply) => {
      reply.cspNonce = { script: 'helmet+/Nonce=', style: 'style-nonce' }
    })
    app.register(refinerIdentity, { secret: CANARY, getUser: () => identityOf(user), ...options })
    app.get('/', async (request) => request.refiner.scriptTag)
    const server = await listenFastify(app)
    try {
      assert.equal((await get(server.base, '/')).text, reference.scriptTag(CANARY, { ...identityOf(user), nonce }))
    } finally {
      await server.close()
    }
  }
})

test('an async getUser and a route under another path (or none)', async () => {
  const app = Fastify()
  app.register(refinerIdentity, { secret: CANARY, getUser: async () => ({ id: 9n }), path: '/api/refiner' })
  const bare = Fastify()
  bare.register(refinerIdentity, { secret: CANARY, getUser: () => ({ id: 9n }), path: false })
  const [server, bareServer] = await Promise.all([listenFastify(app), listenFastify(bare)])
  try {
    const json = await get(server.base, '/api/refiner')
    assert.deepEqual(JSON.parse(json.text), reference.identifyPayload(CANARY, { id: 9n }))
    assert.equal((await get(server.base, '/refiner/identify')).status, 404)
    assert.equal((await get(bareServer.base, '/refiner/identify')).status, 404)
  } finally {
    await Promise.all([server.close(), bareServer.close()])
  }
})

test('anonymous and unsaved users render nothing, and the JSON route answers 401', async () => {
  for (const user of [null, { id: undefined, plan: 'pro' }, { id: null, plan: 'pro' }]) {
    const seen = {}
    const stream = memoryStream()
    const server = await listenFastify(appFor(user, {}, { stream, seen }))
    try {
      assert.equal((await get(server.base, '/page')).text, '<head></head>')
      assert.equal(seen.request.refiner, null)
      const json = await get(server.base, '/refiner/identify')
      assert.equal(json.status, 401)
      assert.equal(json.headers.get('cache-control'), 'no-store')
      assert.deepEqual(JSON.parse(json.text), { error: 'ERR_REFINER_ANONYMOUS' })
      assert.deepEqual(warnings(stream), [])
    } finally {
      await server.close()
    }
  }
})

test('a refused id or trait renders nothing, warns once naming the field, and the JSON route answers 500', async () => {
  const cases = [
    [{ id: 'u1', plan: true }, 'traits.plan', 'ERR_REFINER_INVALID_TRAIT'],
    [{ id: 'u1', name: 42.5 }, 'name', 'ERR_REFINER_INVALID_TRAIT'],
    [{ id: '', plan: 'pro' }, 'id', 'ERR_REFINER_INVALID_USER_ID'],
    [{ id: 1.5, plan: 'pro' }, 'id', 'ERR_INVALID_ARG_TYPE'],
  ]
  for (const [user, field, code] of cases) {
    const seen = {}
    const stream = memoryStream()
    const server = await listenFastify(appFor(user, {}, { stream, seen }))
    try {
      const page = await get(server.base, '/page')
      assert.equal(page.status, 200)
      assert.equal(page.text, '<head></head>')
      assert.equal(seen.request.refiner, null)
      const [warning, ...more] = warnings(stream)
      assert.deepEqual(more, [])
      assert.equal(warning.field, field)
      assert.ok(warning.msg.startsWith(`refiner-identity: user not identified (${field}): `), warning.msg)
      const json = await get(server.base, '/refiner/identify')
      assert.equal(json.status, 500)
      assert.equal(json.headers.get('cache-control'), 'no-store')
      assert.deepEqual(JSON.parse(json.text), { error: code, field })
      assert.equal(warnings(stream).length, 2) // one per request
      assert.ok(!stream.lines.join('').includes(CANARY))
    } finally {
      await server.close()
    }
  }
})

test('the canary key is in no page, request decorator, log or error response', async () => {
  const seen = {}
  const stream = memoryStream()
  const throwing = () => {
    throw new Error('getUser failed')
  }
  // Every level logged: request logs and Fastify's error logs are searched too.
  const apps = [
    appFor(HOSTILE_USER, {}, { stream, seen }),
    appFor(HOSTILE_USER, { getUser: throwing }, { stream }),
    appFor({ id: '', plan: 'pro' }, {}, { stream }),
  ]
  for (const app of apps) app.log.level = 'trace'
  const [server, failing, refused] = await Promise.all(apps.map(listenFastify))
  try {
    const texts = []
    for (const path of ['/page', '/refiner/identify']) texts.push((await get(server.base, path)).text)
    const errorPage = await get(server.base, '/fail')
    assert.equal(errorPage.status, 500)
    assert.equal(JSON.parse(errorPage.text).message, 'the page failed')
    const failedUser = await get(failing.base, '/page')
    assert.equal(failedUser.status, 500)
    assert.equal(JSON.parse(failedUser.text).message, 'getUser failed')
    texts.push(errorPage.text, failedUser.text, (await get(refused.base, '/page')).text)
    texts.push(inspect(seen.request, { depth: 4, showHidden: true, getters: true }), JSON.stringify(seen.request.refiner))
    assert.ok(stream.lines.some((line) => line.includes('getUser failed')))
    assert.equal(warnings(stream).length, 1)
    texts.push(...stream.lines)
    for (const text of texts) assert.ok(!text.includes(CANARY), text)
  } finally {
    await Promise.all([server.close(), failing.close(), refused.close()])
  }
})

test('a missing, empty or padded key rejects the app at startup', async () => {
  const getUser = () => null
  const start = (options) => {
    const app = Fastify()
    app.register(refinerIdentity, { getUser, ...options })
    return app.ready()
  }
  const invalid = (pattern) => (error) => {
    assert.equal(error.code, 'ERR_REFINER_INVALID_SECRET')
    assert.match(error.message, pattern)
    assert.ok(!error.message.includes(CANARY) && !error.stack.includes(CANARY))
    return true
  }
  await withEnv('REFINER_SECRET_KEY', undefined, () =>
    assert.rejects(start({}), invalid(/environment variable REFINER_SECRET_KEY\): the variable is not set/)),
  )
  await withEnv('REFINER_SECRET_KEY', `${CANARY}\n`, () =>
    assert.rejects(start({}), invalid(/REFINER_SECRET_KEY.*starts or ends with/)),
  )
  await withEnv('REFINER_SECRET_KEY', CANARY, async () => {
    await start({})
    await assert.rejects(start({ secret: undefined }), invalid(/options\.secret/))
  })
  await assert.rejects(start({ secret: '' }), invalid(/empty/))
  await assert.rejects(start({ secret: `${CANARY} ` }), invalid(/starts or ends with/))
  // listen() is refused too, so the app never serves a request without a key.
  const app = Fastify()
  app.register(refinerIdentity, { secret: '\tpadded', getUser })
  await assert.rejects(app.listen({ port: 0, host: '127.0.0.1' }), invalid(/starts or ends with/))
  assert.equal(app.server.listening, false)
})

test('options without getUser, or with a wrong nonce or path, reject at startup with a TypeError', async () => {
  const wrong = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }
  for (const options of [{}, { getUser: 'request.user' }, { getUser: () => null, nonce: 'abc' }, { getUser: () => null, path: 5 }]) {
    const app = Fastify()
    app.register(refinerIdentity, { secret: CANARY, ...options })
    await assert.rejects(app.ready(), wrong)
  }
})

test('a malformed nonce fails the request through Fastify error handling, without echoing it', async () => {
  const stream = memoryStream()
  const app = appFor(HOSTILE_USER, { nonce: () => 'bad nonce "<x>"' }, { stream })
  app.log.level = 'trace'
  const server = await listenFastify(app)
  try {
    const page = await get(server.base, '/page')
    assert.equal(page.status, 500)
    assert.equal(JSON.parse(page.text).code, 'ERR_REFINER_INVALID_OPTION')
    assert.match(JSON.parse(page.text).message, /^invalid nonce/)
    assert.ok(stream.lines.some((line) => line.includes('invalid nonce')))
    for (const text of [page.text, ...stream.lines]) assert.ok(!text.includes('bad nonce') && !text.includes(CANARY), text)
    assert.deepEqual(warnings(stream), [])
  } finally {
    await server.close()
  }
})
