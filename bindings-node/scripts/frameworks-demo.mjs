// For `make demo`: the identify call that a real Express app (the middleware)
// and a real Fastify app (the plugin) render for one user, served on
// 127.0.0.1 and fetched. Reads {"key": ..., "user": {id, email, name, traits}}
// on stdin, prints {"express": CALL, "fastify": CALL}.
import { once } from 'node:events'
import { readFileSync } from 'node:fs'

import express from 'express'
import Fastify from 'fastify'
import { refinerIdentity } from 'refiner-identity/express'
import { refinerIdentity as refinerPlugin } from 'refiner-identity/fastify'

const { key, user } = JSON.parse(readFileSync(0, 'utf8'))
const getUser = () => user

const expressApp = express()
expressApp.use(refinerIdentity({ secret: key, getUser }))
expressApp.get('/', (req, res) => res.type('text/plain').send(res.locals.refiner?.identifyCall ?? ''))
const expressServer = expressApp.listen(0, '127.0.0.1')

const fastifyApp = Fastify()
fastifyApp.register(refinerPlugin, { secret: key, getUser, path: false })
fastifyApp.get('/', async (request) => request.refiner?.identifyCall ?? '')

try {
  await Promise.all([once(expressServer, 'listening'), fastifyApp.listen({ port: 0, host: '127.0.0.1' })])
  const text = async (port) => (await fetch(`http://127.0.0.1:${port}/`)).text()
  const [fromExpress, fromFastify] = await Promise.all([
    text(expressServer.address().port),
    text(fastifyApp.server.address().port),
  ])
  console.log(JSON.stringify({ express: fromExpress, fastify: fromFastify }))
} finally {
  await Promise.all([new Promise((resolve) => expressServer.close(resolve)), fastifyApp.close()])
}
