// ESM entry of refiner-identity/express: the CommonJS module, loaded once.
import { createRequire } from 'node:module'

export const { refinerIdentity } = createRequire(import.meta.url)('./express.js')
