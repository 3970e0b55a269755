// Reference renderer (SPEC.md section 9) from Node's standard library only:
// JSON.stringify, encodeURIComponent, crypto.createHmac, Date. Same line
// protocol as python.py here.
import { createHmac } from 'node:crypto'
import { createInterface } from 'node:readline'

const SCRIPT_ESCAPES = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' }
const scriptJson = (obj) => JSON.stringify(obj).replace(/[<>&\u2028\u2029]/g, (ch) => SCRIPT_ESCAPES[ch])
// encodeURIComponent keeps !'()* as they are; the spec encodes every byte outside A-Z a-z 0-9 - . _ ~.
const q = (text) =>
  encodeURIComponent(String(text)).replace(/[!'()*]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase())

function value(tagged) {
  if ('text' in tagged) return tagged.text
  if ('int' in tagged) return Number(tagged.int)
  if ('date' in tagged) return tagged.date
  // toISOString writes years 0 to 9999 with four digits.
  if ('ts_ms' in tagged) return new Date(Math.floor(tagged.ts_ms / 1000) * 1000).toISOString().slice(0, 19) + 'Z'
  return null
}

const pairs = (items = []) => items.map(([name, tagged]) => [name, value(tagged)]).filter(([, v]) => v !== null)

function render(c) {
  const userId = 'text' in c.id ? c.id.text : String(BigInt(c.id.int))
  const signature = createHmac('sha256', c.key).update(userId).digest('hex')
  const user = { id: userId }
  for (const field of ['email', 'name']) if (c[field] != null) user[field] = c[field]
  for (const [name, v] of pairs(c.traits)) user[name] = v
  const call = `_refiner('identifyUser',${scriptJson(user)},{"signature":"${signature}"});`
  const open = c.nonce != null ? `<script nonce="${c.nonce}">` : '<script>'
  const gtm = { ...user, identify_verification_signature: signature }
  const gtmTag = `${open}window.dataLayer=window.dataLayer||[];window.dataLayer.push(${scriptJson(gtm)});</script>`
  return [call, `${open}${call}</script>`, { user, signature }, gtm, gtmTag, surveyLink(c, userId, signature)]
}

function surveyLink(c, userId, signature) {
  const params = [['contact_id', userId], ['signature', signature]]
  for (const field of ['email', 'name']) if (c[field] != null) params.push([`contact_${field}`, c[field]])
  for (const [name, v] of pairs(c.traits)) params.push([`contact_${name}`, v])
  if (c.locale) params.push(['locale', c.locale])
  if (c.tags && c.tags.length) params.push(['tags', typeof c.tags === 'string' ? c.tags : c.tags.join(',')])
  for (const [name, v] of pairs(c.response)) params.push([`response_${name}`, v])
  const hashAt = c.url.indexOf('#')
  let base = hashAt < 0 ? c.url : c.url.slice(0, hashAt)
  const fragment = hashAt < 0 ? '' : c.url.slice(hashAt)
  if (!base.includes('?')) base += '?'
  else if (!base.endsWith('?') && !base.endsWith('&')) base += '&'
  return base + params.map(([n, v]) => `${q(n)}=${q(v)}`).join('&') + fragment
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const request = JSON.parse(line)
  process.stdout.write(JSON.stringify({ results: request.cases.map(render) }) + '\n')
}
