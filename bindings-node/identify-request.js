// What the Express middleware and the Fastify plugin share: their options,
// checked once at startup, and one request's outcome (anonymous, identified or
// refused). Internal: the public entry points are ./express and ./fastify.
'use strict'

const { Signer } = require('./loader.js')

const ENV_NAME = 'REFINER_SECRET_KEY'

function typeError(message) {
  const error = new TypeError(message)
  error.code = 'ERR_INVALID_ARG_TYPE'
  return error
}

/** A Signer for `options.secret`, or for REFINER_SECRET_KEY when the option is left out. */
function signerFrom(options) {
  if (!Object.hasOwn(options, 'secret')) return Signer.fromEnv(ENV_NAME)
  if (options.secret == null) {
    // A key read from an unset variable or a missing config entry: never sign with nothing.
    const error = new Error(
      `invalid secret key (options.secret): it is ${options.secret}; pass the key, or leave the option out to read ${ENV_NAME}`,
    )
    error.code = 'ERR_REFINER_INVALID_SECRET'
    throw error
  }
  return new Signer(options.secret)
}

/**
 * Checks the options shared by both frameworks, once, when the app starts:
 * a bad key throws here (`ERR_REFINER_INVALID_SECRET`), not on a request.
 */
function configure(options, defaultNonce) {
  if (options === null || typeof options !== 'object') {
    throw typeError('refiner-identity: options must be an object with a getUser function')
  }
  const { getUser, nonce = defaultNonce } = options
  if (typeof getUser !== 'function') {
    throw typeError('refiner-identity: options.getUser must be a function returning the identity, or null when nobody is logged in')
  }
  if (typeof nonce !== 'function') {
    throw typeError('refiner-identity: options.nonce must be a function returning the CSP nonce (or nothing)')
  }
  return { signer: signerFrom(options), getUser, nonce }
}

/**
 * One copy of the identity, each property read once, so the three renderings
 * of a request describe the same user even if a getter changes its answer.
 */
function snapshot(identity) {
  if (identity === null || typeof identity !== 'object') return identity
  const copy = { ...identity }
  const { traits } = copy
  if (traits instanceof Map) copy.traits = new Map(traits)
  else if (traits !== null && typeof traits === 'object') copy.traits = { ...traits }
  return copy
}

/** The field a renderer's error is about, named in the warning. */
function fieldOf(error) {
  const message = String(error?.message)
  const trait = /^invalid trait "([A-Za-z0-9_]*)"/.exec(message)
  if (trait) return `traits.${trait[1]}`
  if (error?.code === 'ERR_REFINER_INVALID_USER_ID' || message.startsWith('identity.id')) return 'id'
  const named = /^invalid (email|name)\b/.exec(message)
  if (named) return named[1]
  return 'identity'
}

const ANONYMOUS = Object.freeze({ anonymous: true })

/**
 * The request's outcome: `{ anonymous }` when `getUser` gives no user or a
 * user without an id (not saved yet), `{ rendered }` with the script tag, the
 * identify call and the payload, or `{ error, field }` when the core refuses
 * the identity. `getUser`'s own errors and a malformed nonce are thrown.
 */
async function resolve(config, args, nonce) {
  const identity = snapshot(await config.getUser(...args))
  if (identity == null || (typeof identity === 'object' && identity.id == null)) return ANONYMOUS
  try {
    const payload = config.signer.identifyPayload(identity)
    const identifyCall = config.signer.identifyCall(identity)
    const scriptTag = config.signer.scriptTag({ ...identity, nonce: nonce ?? null })
    return { rendered: Object.freeze({ scriptTag, identifyCall, payload }) }
  } catch (error) {
    // A malformed nonce is the app's misconfiguration, not the user's data: it fails the request.
    if (error?.code === 'ERR_REFINER_INVALID_OPTION') throw error
    return { error, field: fieldOf(error) }
  }
}

/** The warning logged once for a refused identity: the field and the core's reason (never the key). */
function warning(outcome) {
  return `refiner-identity: user not identified (${outcome.field}): ${outcome.error.message}`
}

/** The JSON endpoint's answer for an outcome: status and body. */
function endpointAnswer(outcome) {
  if (outcome.anonymous) return { status: 401, body: { error: 'ERR_REFINER_ANONYMOUS' } }
  if (outcome.error) {
    return { status: 500, body: { error: outcome.error.code ?? 'ERR_REFINER_INVALID_IDENTITY', field: outcome.field } }
  }
  return { status: 200, body: outcome.rendered.payload }
}

module.exports = { configure, resolve, warning, endpointAnswer }
