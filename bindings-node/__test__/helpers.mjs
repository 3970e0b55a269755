// Shared by the tests: the vectors file and node:crypto as the reference.
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const SECRET = 'node-test-secret-that-must-never-leak-9c1e'

export const vectors = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../tests/vectors/vectors.json', import.meta.url)), 'utf8'),
)

export function reference(key, message) {
  return createHmac('sha256', key).update(message).digest('hex')
}

/** The JavaScript value a tagged vectors.json value stands for. */
export function jsValue(tagged) {
  const [[tag, value]] = Object.entries(tagged)
  switch (tag) {
    case 'text':
      return value
    case 'hex':
      return new Uint8Array(Buffer.from(value, 'hex'))
    case 'int':
      return BigInt(value)
    case 'float':
    case 'unsafe_js_number':
      return Number(value)
    case 'bool':
    case 'list':
    case 'null':
      return value
    case 'lone_surrogate':
      return String.fromCharCode(parseInt(value, 16))
    default:
      throw new Error(`unknown tag ${tag}`)
  }
}
