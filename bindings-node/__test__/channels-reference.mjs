// An independent rendering of SPEC.md section 9 from Node's standard library
// only (JSON.stringify, encodeURIComponent, crypto.createHmac): the renderers'
// expected outputs in the channel tests come from here, never from the binding.
import { createHmac } from 'node:crypto'

/** The text Node signs and shows for a string (lone surrogates become U+FFFD). */
const text = (value) => value.toWellFormed()

/** JSON.stringify plus the escapes that make JSON safe inside an HTML <script>. */
export function scriptJson(value) {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** Percent-encoding of every byte outside A-Z a-z 0-9 - . _ ~ (upper-case hex). */
export function percent(value) {
  return encodeURIComponent(text(value)).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/** `YYYY-MM-DDTHH:MM:SSZ` in UTC, whole seconds, floored. */
export function timestamp(date) {
  const floored = new Date(Math.floor(date.getTime() / 1000) * 1000)
  return floored.toISOString().replace(/\.000Z$/, 'Z')
}

function idText(id) {
  return typeof id === 'string' ? text(id) : String(id)
}

export function signature(secret, id) {
  return createHmac('sha256', secret).update(idText(id)).digest('hex')
}

function entries(traits) {
  if (traits == null) return []
  return traits instanceof Map ? [...traits] : Object.entries(traits)
}

/** A value as JSON data: integers as numbers, dates as strings; null drops it. */
function jsonValue(value) {
  if (typeof value === 'string') return text(value)
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'number') return value + 0 // JSON has no -0
  if (value instanceof Date) return timestamp(value)
  return value
}

/** The user object, keys in the order id, email, name, traits. */
export function user({ id, email, name, traits }) {
  const out = { id: idText(id) }
  if (email != null) out.email = text(email)
  if (name != null) out.name = text(name)
  for (const [key, value] of entries(traits)) if (value != null) out[key] = jsonValue(value)
  return out
}

function openScript(nonce) {
  return nonce == null ? '<script>' : `<script nonce="${nonce}">`
}

export function identifyCall(secret, identity) {
  return `_refiner('identifyUser',${scriptJson(user(identity))},{"signature":"${signature(secret, identity.id)}"});`
}

export function scriptTag(secret, identity) {
  return `${openScript(identity.nonce)}${identifyCall(secret, identity)}</script>`
}

export function identifyPayload(secret, identity) {
  return { user: user(identity), signature: signature(secret, identity.id) }
}

export function gtmTraits(secret, identity) {
  return { ...user(identity), identify_verification_signature: signature(secret, identity.id) }
}

export function gtmScriptTag(secret, identity) {
  const push = `window.dataLayer=window.dataLayer||[];window.dataLayer.push(${scriptJson(gtmTraits(secret, identity))});`
  return `${openScript(identity.nonce)}${push}</script>`
}

function urlValue(value) {
  if (value instanceof Date) return percent(timestamp(value))
  return typeof value === 'string' ? percent(value) : String(value)
}

export function surveyLink(secret, url, identity) {
  const hash = url.indexOf('#')
  const [base, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)]
  const query = base.includes('?') ? base.slice(base.indexOf('?') + 1) : null
  const joiner = query === null ? '?' : query === '' || query.endsWith('&') ? '' : '&'
  const params = [`contact_id=${percent(idText(identity.id))}`, `signature=${signature(secret, identity.id)}`]
  if (identity.email != null) params.push(`contact_email=${percent(identity.email)}`)
  if (identity.name != null) params.push(`contact_name=${percent(identity.name)}`)
  for (const [key, value] of entries(identity.traits)) if (value != null) params.push(`contact_${key}=${urlValue(value)}`)
  if (identity.locale) params.push(`locale=${percent(identity.locale)}`)
  const tags = Array.isArray(identity.tags) ? identity.tags.join(',') : identity.tags
  if (tags) params.push(`tags=${percent(tags)}`)
  for (const [key, value] of entries(identity.response)) if (value != null) params.push(`response_${key}=${urlValue(value)}`)
  return `${base}${joiner}${params.join('&')}${fragment}`
}
