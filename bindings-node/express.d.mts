// Types of the ESM entry (express.mjs): the CommonJS types, re-exported.
export type * from './express.js'
export { refinerIdentity } from './express.js'
