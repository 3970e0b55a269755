// refiner-identity/express in a real Express 5 app on 127.0.0.1, requested with
// fetch; expected values from the stdlib reference (channels-reference.mjs).
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { inspect } from 'node:util'

import express from 'express'
import { refinerIdentity } from 'refiner-identity/express'

import * as reference from './channels-reference.mjs'
import { CANARY, HOSTILE_USER, identityOf, listenExpress, memoryLogger, withEnv } from './frameworks-helpers.mjs'

const require = createRequire(import.meta.url)

/** An app whose requests are logged in as `user` (none when null), seen through `inspectLocals`. */
function appFor(user, options, seen = {}) {
  const app = express()
  app.use((req, res, next) => {
    if (user !== null) req.user = user
    next()
  })
  const refiner = refinerIdentity({ secret: CANARY, getUser: (req) => req.user && identityOf(req.user), ...options })
  app.use(refiner)
  app.get('/identify', refiner.identify)
  app.get('/page', (req, res) => {
    seen.locals = res.locals
    res.send(`<head>${res.locals.refiner?.scriptTag ?? ''}</head>`)
  })
  app.get('/fail', () => {
    throw new Error('the page failed')
  })
  return app
}

async function get(base, path) {
  const response = await fetch(base + path)
  return { status: response.status, headers: response.headers, text: await response.text() }
}

test('CommonJS require and ESM import give the same middleware factory', () => {
  assert.equal(require('refiner-identity/express').refinerIdentity, refinerIdentity)
})

test('a logged-in user gets the script tag, the call and the payload; the JSON route answers the payload', async () => {
  const seen = {}
  const server = await listenExpress(appFor(HOSTILE_USER, {}, seen))
  try {
    const identity = identityOf(HOSTILE_USER)
    const page = await get(server.base, '/page')
    assert.equal(page.status, 200)
    assert.equal(page.text, `<head>${reference.scriptTag(CANARY, identity)}</head>`)
    assert.deepEqual({ ...seen.locals.refiner }, {
      scriptTag: reference.scriptTag(CANARY, identity),
      identifyCall: reference.identifyCall(CANARY, identity),
      payload: reference.identifyPayload(CANARY, identity),
    })
    const json = await get(server.base, '/identify')
    assert.equal(json.status, 200)
    assert.equal(json.headers.get('cache-control'), 'no-store')
    assert.deepEqual(JSON.parse(json.text), reference.identifyPayload(CANARY, identity))
    assert.equal(JSON.parse(json.text).signature, reference.signature(CANARY, HOSTILE_USER.id))
  } finally {
    await server.close()
  }
})

test('the tag carries res.locals.cspNonce (helmet), or what the nonce option returns', async () => {
  const user = { id: 7, plan: 'pro' }
  for (const [options, nonce] of [
    [{}, 'helmet+/Nonce='],
    [{ nonce: () => 'from-option_1' }, 'from-option_1'],
  ]) {
    const app = express()
    app.use((req, res, next) => {
      res.locals.cspNonce = 'helmet+/Nonce='
      next()
    })
    app.use(refinerIdentity({ secret: CANARY, getUser: () => identityOf(user), ...options }))
    app.get('/', (req, res) => res.send(res.locals.refiner.scriptTag))
    const server = await listenExpress(app)
    try {
      const page = await get(server.base, '/')
      assert.equal(page.text, reference.scriptTag(CANARY, { ...identityOf(user), nonce }))
    } finally {
      await server.close()
    }
  }
})

test('getUser may be async', async () => {
  const app = express()
  const refiner = refinerIdentity({ secret: CANARY, getUser: async () => ({ id: 9n }) })
  app.get('/identify', refiner.identify)
  const server = await listenExpress(app)
  try {
    assert.deepEqual(JSON.parse((await get(server.base, '/identify')).text), reference.identifyPayload(CANARY, { id: 9n }))
  } finally {
    await server.close()
  }
})

test('anonymous and unsaved users render nothing, and the JSON route answers 401', async () => {
  for (const user of [null, { id: undefined, plan: 'pro' }, { id: null, plan: 'pro' }]) {
    const seen = {}
    const logger = memoryLogger()
    const server = await listenExpress(appFor(user, { logger }, seen))
    try {
      const page = await get(server.base, '/page')
      assert.equal(page.text, '<head></head>')
      assert.equal(seen.locals.refiner, null)
      const json = await get(server.base, '/identify')
      assert.equal(json.status, 401)
      assert.equal(json.headers.get('cache-control'), 'no-store')
      assert.deepEqual(JSON.parse(json.text), { error: 'ERR_REFINER_ANONYMOUS' })
      assert.deepEqual(logger.lines, [])
    } finally {
      await server.close()
    }
  }
})

test('a refused id or trait renders nothing, warns once naming the field, and the JSON route answers 500', async () => {
  const cases = [
    [{ id: 'u1', plan: true }, 'traits.plan', 'ERR_REFINER_INVALID_TRAIT'],
    [{ id: 'u1', plan: 'x'.repeat(10_001) }, 'traits.plan', 'ERR_REFINER_INVALID_TRAIT'],
    [{ id: 'u1', name: 42.5 }, 'name', 'ERR_REFINER_INVALID_TRAIT'],
    [{ id: '', plan: 'pro' }, 'id', 'ERR_REFINER_INVALID_USER_ID'],
    [{ id: 1.5, plan: 'pro' }, 'id', 'ERR_INVALID_ARG_TYPE'],
    [{ id: new Uint8Array([0xff]), plan: 'pro' }, 'id', 'ERR_REFINER_INVALID_USER_ID'],
  ]
  for (const [user, field, code] of cases) {
    const seen = {}
    const logger = memoryLogger()
    const server = await listenExpress(appFor(user, { logger }, seen))
    try {
      const page = await get(server.base, '/page')
      assert.equal(page.status, 200)
      assert.equal(page.text, '<head></head>')
      assert.equal(seen.locals.refiner, null)
      assert.equal(logger.lines.length, 1, logger.lines.join('\n'))
      assert.match(logger.lines[0], new RegExp(`^refiner-identity: user not identified \\(${field.replace('.', '\\.')}\\): `))
      // The JSON route sits behind the middleware: one request, one warning.
      const json = await get(server.base, '/identify')
      assert.equal(json.status, 500)
      assert.equal(json.headers.get('cache-control'), 'no-store')
      assert.deepEqual(JSON.parse(json.text), { error: code, field })
      assert.equal(logger.lines.length, 2, logger.lines.join('\n'))
      assert.ok(!logger.lines.join('\n').includes(CANARY))
    } finally {
      await server.close()
    }
  }
})

test('an identity whose getters change between reads is read once', async () => {
  let reads = 0
  const identity = {
    get id() {
      reads += 1
      return `user-${reads}`
    },
    traits: {
      get plan() {
        return `plan-${reads}`
      },
    },
  }
  const seen = {}
  const app = express()
  app.use(refinerIdentity({ secret: CANARY, getUser: () => identity }))
  app.get('/', (req, res) => {
    seen.refiner = res.locals.refiner
    res.end()
  })
  const server = await listenExpress(app)
  try {
    await get(server.base, '/')
    const expected = { id: 'user-1', traits: { plan: 'plan-1' } }
    assert.equal(reads, 1)
    assert.equal(seen.refiner.identifyCall, reference.identifyCall(CANARY, expected))
    assert.equal(seen.refiner.scriptTag, reference.scriptTag(CANARY, expected))
    assert.deepEqual(seen.refiner.payload, reference.identifyPayload(CANARY, expected))
  } finally {
    await server.close()
  }
})

test('the canary key is in no page, res.locals, log or default error page', async () => {
  const seen = {}
  const logger = memoryLogger()
  const throwing = () => {
    throw new Error('getUser failed')
  }
  const apps = [
    appFor(HOSTILE_USER, { logger }, seen),
    appFor(HOSTILE_USER, { logger, getUser: throwing }),
    appFor({ id: '', plan: 'pro' }, { logger }),
  ]
  // Express's default handler shows the stack outside production, and logs it with console.error.
  for (const app of apps) app.set('env', 'development')
  const [server, failing, refused] = await Promise.all(apps.map(listenExpress))
  const consoleError = console.error
  const errorLog = []
  console.error = (...args) => errorLog.push(args.map(String).join(' '))
  try {
    const texts = []
    for (const path of ['/page', '/identify']) texts.push((await get(server.base, path)).text)
    const errorPage = await get(server.base, '/fail')
    assert.equal(errorPage.status, 500)
    assert.match(errorPage.text, /Error: the page failed<br> &nbsp; &nbsp;at /) // the stack is shown
    const failedUser = await get(failing.base, '/page')
    assert.equal(failedUser.status, 500)
    assert.match(failedUser.text, /Error: getUser failed/)
    texts.push(errorPage.text, failedUser.text, (await get(refused.base, '/page')).text, (await get(refused.base, '/identify')).text)
    texts.push(inspect(seen.locals, { depth: Infinity, showHidden: true, getters: true }), JSON.stringify(seen.locals))
    assert.equal(logger.lines.length, 2) // the refused user's page and JSON requests
    assert.equal(errorLog.length, 2)
    texts.push(...logger.lines, ...errorLog)
    for (const text of texts) assert.ok(!text.includes(CANARY), text)
  } finally {
    console.error = consoleError
    await Promise.all([server.close(), failing.close(), refused.close()])
  }
})

test('a missing, empty or padded key throws when the middleware is made', async () => {
  const getUser = () => null
  const invalid = (pattern) => (error) => {
    assert.equal(error.code, 'ERR_REFINER_INVALID_SECRET')
    assert.match(error.message, pattern)
    assert.ok(!error.message.includes(CANARY) && !error.stack.includes(CANARY))
    return true
  }
  await withEnv('REFINER_SECRET_KEY', undefined, () =>
    assert.throws(() => refinerIdentity({ getUser }), invalid(/environment variable REFINER_SECRET_KEY\): the variable is not set/)),
  )
  await withEnv('REFINER_SECRET_KEY', `${CANARY}\n`, () =>
    assert.throws(() => refinerIdentity({ getUser }), invalid(/REFINER_SECRET_KEY.*starts or ends with/)),
  )
  await withEnv('REFINER_SECRET_KEY', CANARY, () => {
    assert.equal(typeof refinerIdentity({ getUser }), 'function')
    // An explicit secret that is missing is an error, not a fallback to the variable.
    assert.throws(() => refinerIdentity({ secret: undefined, getUser }), invalid(/options\.secret/))
    assert.throws(() => refinerIdentity({ secret: null, getUser }), invalid(/options\.secret/))
  })
  assert.throws(() => refinerIdentity({ secret: '', getUser }), invalid(/empty/))
  assert.throws(() => refinerIdentity({ secret: ` ${CANARY}`, getUser }), invalid(/starts or ends with/))
  assert.throws(() => refinerIdentity({ secret: new Uint8Array(0), getUser }), invalid(/empty/))
})

test('options without getUser, or with a wrong nonce or logger, throw a TypeError at once', () => {
  const wrong = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }
  assert.throws(() => refinerIdentity(), wrong)
  assert.throws(() => refinerIdentity({ secret: CANARY }), wrong)
  assert.throws(() => refinerIdentity({ secret: CANARY, getUser: 'req.user' }), wrong)
  assert.throws(() => refinerIdentity({ secret: CANARY, getUser: () => null, nonce: 'abc' }), wrong)
  assert.throws(() => refinerIdentity({ secret: CANARY, getUser: () => null, logger: {} }), wrong)
})

test('a malformed nonce fails the request through Express error handling, without echoing it', async () => {
  const logger = memoryLogger()
  const app = appFor(HOSTILE_USER, { logger, nonce: () => 'bad nonce "<x>"' })
  app.set('env', 'development')
  const server = await listenExpress(app)
  const consoleError = console.error
  const errorLog = []
  console.error = (...args) => errorLog.push(args.map(String).join(' '))
  try {
    const page = await get(server.base, '/page')
    assert.equal(page.status, 500)
    assert.match(page.text, /invalid nonce/)
    assert.match(errorLog.join('\n'), /ERR_REFINER_INVALID_OPTION|invalid nonce/)
    for (const text of [page.text, ...errorLog]) assert.ok(!text.includes('bad nonce') && !text.includes(CANARY), text)
    assert.deepEqual(logger.lines, [])
  } finally {
    console.error = consoleError
    await server.close()
  }
})
