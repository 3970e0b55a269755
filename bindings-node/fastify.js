// Fastify plugin: `request.refiner` for the logged-in user, and the JSON
// endpoint as a route. Fastify itself is not imported.
'use strict'

const { configure, resolve, warning, endpointAnswer } = require('./identify-request.js')

// @fastify/helmet's convention (enableCSPNonces): reply.cspNonce.script.
const helmetNonce = (_request, reply) => reply.cspNonce?.script

const DEFAULT_PATH = '/refiner/identify'

/**
 * Registered with `app.register(refinerIdentity, options)`. A missing, empty
 * or padded key makes the app's startup (`ready`, `listen`) reject.
 */
async function refinerIdentity(fastify, options) {
  const config = configure(options, helmetNonce)
  const { path = DEFAULT_PATH } = options
  if (path !== false && typeof path !== 'string') {
    const error = new TypeError('refiner-identity: options.path must be a route path, or false for no JSON route')
    error.code = 'ERR_INVALID_ARG_TYPE'
    throw error
  }

  fastify.decorateRequest('refiner', null)
  const outcomes = new WeakMap()

  async function outcomeOf(request, reply) {
    let outcome = outcomes.get(request)
    if (outcome === undefined) {
      outcome = await resolve(config, [request, reply], config.nonce(request, reply))
      if (outcome.error) request.log.warn({ field: outcome.field }, warning(outcome))
      outcomes.set(request, outcome)
    }
    return outcome
  }

  // preHandler: after the app's authentication hooks (onRequest, preValidation).
  fastify.addHook('preHandler', async (request, reply) => {
    request.refiner = (await outcomeOf(request, reply)).rendered ?? null
  })

  if (path !== false) {
    fastify.get(path, async (request, reply) => {
      const { status, body } = endpointAnswer(await outcomeOf(request, reply))
      reply.header('Cache-Control', 'no-store')
      reply.code(status)
      return body
    })
  }
}

// What fastify-plugin sets: the decorator and hook apply to the app that
// registers the plugin, not to an encapsulated child context.
refinerIdentity[Symbol.for('skip-override')] = true
refinerIdentity[Symbol.for('fastify.display-name')] = 'refiner-identity'

module.exports = { refinerIdentity }
