// ESM entry: the same native binding as `require('refiner-identity')`.
import { createRequire } from 'node:module'

const binding = createRequire(import.meta.url)('./index.js')

export const { sign, verify, Signer } = binding
export default binding
