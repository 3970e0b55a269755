// Shared by the Express, Fastify and browser tests: a canary key, users, and
// servers on 127.0.0.1 (a free port) that every test closes.
import { once } from 'node:events'

/** A key that must never show up in a page, a log, an error page or res.locals. */
export const CANARY = 'canary-key-7d41e9b0-must-never-leak'

/** A user whose fields try to break out of the script tag and the JSON. */
export const HOSTILE_USER = Object.freeze({
  id: 'user "42" </script>',
  email: 'ada@example.com',
  name: '</script><script>window.pwned=1</script>',
  plan: '<!-- <script> \u2028 \u2029 "double" \'single\' `back` \\ & </SCRIPT >',
})

/** The identity getUser builds from a user (as the examples do). */
export function identityOf(user) {
  return { id: user.id, email: user.email, name: user.name, traits: { plan: user.plan } }
}

/** Starts an Express app on 127.0.0.1, port 0; `close` waits for it to stop. */
export async function listenExpress(app) {
  const server = app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/** Starts a Fastify app on 127.0.0.1, port 0. */
export async function listenFastify(app) {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { base: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() }
}

/** A logger keeping each warning as one line of text. */
export function memoryLogger() {
  const lines = []
  return { lines, warn: (...args) => lines.push(args.map(String).join(' ')) }
}

/** A writable stream for Fastify's (pino) logger, keeping each JSON line. */
export function memoryStream() {
  const lines = []
  return { lines, write: (line) => lines.push(line) }
}

/** Runs `body` with process.env[name] set (or deleted for undefined), then restores it. */
export async function withEnv(name, value, body) {
  const saved = process.env[name]
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
  try {
    return await body()
  } finally {
    if (saved === undefined) delete process.env[name]
    else process.env[name] = saved
  }
}
