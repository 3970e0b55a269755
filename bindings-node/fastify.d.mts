// Types of the ESM entry (fastify.mjs): the CommonJS types, re-exported.
export type * from './fastify.js'
export { refinerIdentity } from './fastify.js'
