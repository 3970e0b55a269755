// Types of the ESM entry (index.mjs). TypeScript reads index.d.ts as CommonJS,
// so ESM gets its own file instead of borrowing that one.
import * as binding from './index.js'

export type * from './index.js'
export { sign, verify, Signer } from './index.js'
export default binding
