// Express middleware: `res.locals.refiner` for the logged-in user, and a
// route handler for the JSON endpoint. Express itself is not imported.
'use strict'

const { configure, resolve, warning, endpointAnswer } = require('./identify-request.js')

// helmet's convention: the CSP nonce of this response in res.locals.cspNonce.
const helmetNonce = (_req, res) => res.locals.cspNonce

/**
 * The middleware (and, as `.identify`, the JSON route handler). Throws when
 * the app starts if the key is missing, empty or padded.
 */
function refinerIdentity(options) {
  const config = configure(options, helmetNonce)
  const logger = options.logger ?? console
  if (typeof logger?.warn !== 'function') {
    const error = new TypeError('refiner-identity: options.logger must have a warn method')
    error.code = 'ERR_INVALID_ARG_TYPE'
    throw error
  }
  // One outcome per request, so the endpoint behind the middleware neither
  // signs nor warns a second time.
  const outcomes = new WeakMap()

  async function outcomeOf(req, res) {
    let outcome = outcomes.get(req)
    if (outcome === undefined) {
      outcome = await resolve(config, [req, res], config.nonce(req, res))
      if (outcome.error) logger.warn(warning(outcome))
      outcomes.set(req, outcome)
    }
    return outcome
  }

  async function refiner(req, res, next) {
    let outcome
    try {
      outcome = await outcomeOf(req, res)
    } catch (error) {
      return next(error)
    }
    res.locals.refiner = outcome.rendered ?? null
    next()
  }

  refiner.identify = async function identify(req, res, next) {
    let outcome
    try {
      outcome = await outcomeOf(req, res)
    } catch (error) {
      return next(error)
    }
    const { status, body } = endpointAnswer(outcome)
    res.set('Cache-Control', 'no-store')
    res.status(status).json(body)
  }

  return refiner
}

module.exports = { refinerIdentity }
