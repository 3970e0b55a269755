// app.js: every page identifies the logged-in user to Refiner, under a strict
// CSP; GET /refiner/identify gives a single-page app the same as JSON.
const { randomBytes } = require('node:crypto')
const Fastify = require('fastify')
const { refinerIdentity } = require('refiner-identity/fastify')

function createApp(authenticate) {
  const app = Fastify()
  app.addHook('onRequest', authenticate) // your login hook: sets request.user
  // A nonce per response in reply.cspNonce.script, as @fastify/helmet does: the tag carries it.
  app.addHook('onRequest', async (request, reply) => {
    reply.cspNonce = { script: randomBytes(16).toString('base64') }
    reply.header('Content-Security-Policy', `script-src 'nonce-${reply.cspNonce.script}'`)
  })
  // Reads REFINER_SECRET_KEY when the app starts: a missing or padded key rejects listen().
  app.register(refinerIdentity, {
    getUser: (request) =>
      request.user && {
        id: request.user.id,
        email: request.user.email,
        name: request.user.name,
        traits: { plan: request.user.plan },
      },
  }) // and GET /refiner/identify: 401 when nobody is logged in
  app.get('/', async (request, reply) => {
    // null when nobody is logged in, or when Refiner refuses the user (a warning is logged).
    const tag = request.refiner?.scriptTag ?? ''
    reply.type('text/html')
    return `<!doctype html><html><head>${tag}</head><body>Welcome</body></html>`
  })
  return app
}

module.exports = { createApp }
