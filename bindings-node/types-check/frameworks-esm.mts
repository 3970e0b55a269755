// The ESM types of the subpath exports (express.d.mts, fastify.d.mts).
import Fastify from 'fastify'
import { refinerIdentity, type RefinerExpressOptions } from 'refiner-identity/express'
import { refinerIdentity as refinerPlugin, type RefinerFastifyOptions } from 'refiner-identity/fastify'

const options: RefinerExpressOptions = { getUser: () => ({ id: 1n }) }
const identify: (req: any, res: any, next: (error?: unknown) => void) => Promise<void> = refinerIdentity(options).identify
const pluginOptions: RefinerFastifyOptions = { getUser: () => null }
const app = Fastify().register(refinerPlugin, pluginOptions)
app.get('/', async (request) => request.refiner?.identifyCall ?? '')

export { identify }
