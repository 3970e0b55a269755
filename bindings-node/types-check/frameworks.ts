// Type-checked with `tsc --noEmit` in `make test`: the subpath exports
// refiner-identity/express and refiner-identity/fastify, as the README uses them.
import Fastify from 'fastify'
import { refinerIdentity, type RefinerLocals } from 'refiner-identity/express'
import { refinerIdentity as refinerPlugin, type RefinerRequestData } from 'refiner-identity/fastify'

// No @types/express here: the middleware's own types are checked.
const refiner = refinerIdentity({
  getUser: (req: { user?: { id: number } }) => (req.user ? { id: req.user.id, traits: { plan: 'pro' } } : null),
  nonce: () => 'abc',
  logger: console,
})
const middleware: (req: any, res: any, next: (error?: unknown) => void) => Promise<void> = refiner
const handler: (req: any, res: any, next: (error?: unknown) => void) => Promise<void> = refiner.identify
const locals: RefinerLocals | null = null
const tag: string | undefined = (locals as RefinerLocals | null)?.scriptTag

const fastify = Fastify()
fastify.register(refinerPlugin, {
  secret: 'key',
  getUser: async (request) => ({ id: request.id }),
  path: false,
})
fastify.get('/', async (request) => {
  const data: RefinerRequestData | null = request.refiner
  return data?.scriptTag ?? ''
})

// @ts-expect-error getUser is required
refinerIdentity({ secret: 'key' })
// @ts-expect-error booleans are not trait values
refinerIdentity({ getUser: () => ({ id: 'u', traits: { flag: true } }) })
// @ts-expect-error path is a string or false
fastify.register(refinerPlugin, { getUser: () => null, path: 5 })

export { tag, middleware, handler }
