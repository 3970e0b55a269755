// A real browser (headless chromium) runs the identify script that the Express
// middleware and the Fastify plugin render for a hostile user: a stub
// _refiner records its arguments into the DOM; nothing the user typed runs;
// under a strict CSP the nonce'd tag runs and a tag without the nonce is blocked.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'

import express from 'express'
import Fastify from 'fastify'
import { refinerIdentity } from 'refiner-identity/express'
import { refinerIdentity as refinerPlugin } from 'refiner-identity/fastify'

import * as reference from './channels-reference.mjs'
import { dumpDom } from './chromium.mjs'
import { CANARY, HOSTILE_USER, identityOf, listenExpress, listenFastify } from './frameworks-helpers.mjs'

const IDENTITY = identityOf(HOSTILE_USER)
const EXPECTED_CALLS = [
  ['identifyUser', reference.user(IDENTITY), { signature: reference.signature(CANARY, HOSTILE_USER.id) }],
]

/** Records _refiner's arguments, CSP violations and any write to window.pwned on <html data-record>. */
const STUB = `(function () {
  var record = window.__record = { calls: [], violations: [], pwned: [], done: false };
  window.__save = function () {
    document.documentElement.setAttribute('data-record', encodeURIComponent(JSON.stringify(record)));
  };
  window._refiner = function () { record.calls.push(Array.prototype.slice.call(arguments)); window.__save(); };
  Object.defineProperty(window, 'pwned', {
    get: function () { return undefined; },
    set: function (value) { record.pwned.push(String(value)); window.__save(); },
  });
  document.addEventListener('securitypolicyviolation', function (event) {
    record.violations.push(event.violatedDirective); window.__save();
  });
  window.__save();
})();`

/** The page: the stub, the tags under test, then a last script marking the end. */
function page(nonce, tags) {
  const open = nonce ? `<script nonce="${nonce}">` : '<script>'
  return `<!doctype html><html><head><meta charset="utf-8">${open}${STUB}</script>${tags}</head>` +
    `<body>${open}window.__record.done = true; window.__save();</script></body></html>`
}

const freshNonce = () => randomBytes(16).toString('base64')
const csp = (nonce) => `script-src 'nonce-${nonce}'`

/** The record the page left in the DOM chromium dumped. */
function recordOf(dom) {
  const encoded = /<html[^>]* data-record="([^"]*)"/.exec(dom)?.[1]
  assert.ok(encoded, `no record in the page:\n${dom}`)
  return JSON.parse(decodeURIComponent(encoded))
}

/** /plain: the tag alone; /csp: under a strict CSP, the nonce'd tag and the same call without the nonce. */
function expressApp() {
  const app = express()
  app.use((req, res, next) => {
    req.user = HOSTILE_USER
    if (req.path === '/csp') {
      res.locals.cspNonce = freshNonce()
      res.set('Content-Security-Policy', csp(res.locals.cspNonce))
    }
    next()
  })
  app.use(refinerIdentity({ secret: CANARY, getUser: (req) => identityOf(req.user) }))
  app.get('/plain', (req, res) => res.send(page(null, res.locals.refiner.scriptTag)))
  app.get('/csp', (req, res) => {
    const { scriptTag, identifyCall } = res.locals.refiner
    res.send(page(res.locals.cspNonce, `${scriptTag}<script>${identifyCall}</script>`))
  })
  // The control page: an unescaped injection must show up in the record.
  app.get('/control', (req, res) => res.send(page(null, HOSTILE_USER.name)))
  return app
}

function fastifyApp() {
  const app = Fastify()
  app.addHook('onRequest', async (request, reply) => {
    request.user = HOSTILE_USER
    if (request.url === '/csp') {
      reply.cspNonce = { script: freshNonce() }
      reply.header('Content-Security-Policy', csp(reply.cspNonce.script))
    }
  })
  app.register(refinerPlugin, { secret: CANARY, getUser: (request) => identityOf(request.user) })
  app.get('/plain', async (request, reply) => {
    reply.type('text/html')
    return page(null, request.refiner.scriptTag)
  })
  app.get('/csp', async (request, reply) => {
    const { scriptTag, identifyCall } = request.refiner
    reply.type('text/html')
    return page(reply.cspNonce.script, `${scriptTag}<script>${identifyCall}</script>`)
  })
  return app
}

test('the record catches an injection that does run (control)', async () => {
  const server = await listenExpress(expressApp())
  try {
    const record = recordOf(await dumpDom(`${server.base}/control`))
    assert.deepEqual(record.pwned, ['1'])
    assert.equal(record.done, true)
  } finally {
    await server.close()
  }
})

for (const [name, makeApp, listen] of [
  ['Express', expressApp, listenExpress],
  ['Fastify', fastifyApp, listenFastify],
]) {
  test(`${name}: chromium runs the identify call with the user's exact fields, and nothing the user typed`, async () => {
    const server = await listen(makeApp())
    try {
      const record = recordOf(await dumpDom(`${server.base}/plain`))
      assert.deepEqual(record.calls, EXPECTED_CALLS)
      assert.equal(record.calls[0][2].signature, reference.signature(CANARY, HOSTILE_USER.id))
      assert.deepEqual(record.pwned, [])
      assert.deepEqual(record.violations, [])
      assert.equal(record.done, true)
    } finally {
      await server.close()
    }
  })

  test(`${name}: under script-src 'nonce-...' the nonce'd tag runs and the tag without it is blocked`, async () => {
    const server = await listen(makeApp())
    try {
      const dom = await dumpDom(`${server.base}/csp`)
      // Both tags reached the browser; only one call ran.
      assert.equal(dom.split("_refiner('identifyUser',").length - 1, 2)
      const record = recordOf(dom)
      assert.deepEqual(record.calls, EXPECTED_CALLS)
      assert.deepEqual(record.pwned, [])
      assert.ok(record.violations.length >= 1 && record.violations.every((d) => d.startsWith('script-src')), record.violations)
      assert.equal(record.done, true)
    } finally {
      await server.close()
    }
  })
}
