// ESM entry: the same native binding as `require('refiner-identity')`, through
// the same loader (and its message when no binary fits this platform).
import { createRequire } from 'node:module'

const binding = createRequire(import.meta.url)('./loader.js')

export const { sign, verify, Signer } = binding
export default binding
