// ESM entry of refiner-identity/fastify: the CommonJS module, loaded once.
import { createRequire } from 'node:module'

export const { refinerIdentity } = createRequire(import.meta.url)('./fastify.js')
