// app.js: every page identifies the logged-in user to Refiner, under a strict
// CSP; GET /refiner/identify gives a single-page app the same as JSON.
const { randomBytes } = require('node:crypto')
const express = require('express')
const { refinerIdentity } = require('refiner-identity/express')

function createApp(authenticate) {
  const app = express()
  app.use(authenticate) // your login middleware: sets req.user
  // A nonce per response in res.locals.cspNonce, as helmet does: the tag carries it.
  app.use((req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64')
    res.set('Content-Security-Policy', `script-src 'nonce-${res.locals.cspNonce}'`)
    next()
  })
  // Reads REFINER_SECRET_KEY here: a missing or padded key throws at startup.
  const refiner = refinerIdentity({
    getUser: (req) =>
      req.user && { id: req.user.id, email: req.user.email, name: req.user.name, traits: { plan: req.user.plan } },
  })
  app.use(refiner)
  app.get('/refiner/identify', refiner.identify) // 401 when nobody is logged in
  app.get('/', (req, res) => {
    // null when nobody is logged in, or when Refiner refuses the user (a warning is logged).
    const tag = res.locals.refiner?.scriptTag ?? ''
    res.send(`<!doctype html><html><head>${tag}</head><body>Welcome</body></html>`)
  })
  return app
}

module.exports = { createApp }
