// Types of refiner-identity/fastify (Fastify is not a dependency: its types
// come from the app's own copy).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { IdentifiedUser, Identity } from './index.js'

/** What the plugin puts in `request.refiner` for an identified request. */
export interface RefinerRequestData {
  /** `<script nonce="...">_refiner('identifyUser',...);</script>`, for the page's `<head>`. */
  readonly scriptTag: string
  /** `_refiner('identifyUser',USER_JSON,{"signature":"..."});`, for a script of your own. */
  readonly identifyCall: string
  /** `{ user, signature }`: what the JSON route answers. */
  readonly payload: { user: IdentifiedUser; signature: string }
}

export interface RefinerFastifyOptions {
  /** The secret key; left out, `REFINER_SECRET_KEY` is read. Checked when the app starts. */
  secret?: string | Uint8Array
  /**
   * The identity of the request's user, or `null`/`undefined` when nobody is
   * logged in (a user whose `id` is null or undefined is treated the same).
   */
  getUser(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Identity | null | undefined | Promise<Identity | null | undefined>
  /** The CSP nonce for the script tag; default `reply.cspNonce.script` (@fastify/helmet). */
  nonce?(request: FastifyRequest, reply: FastifyReply): string | null | undefined
  /**
   * The JSON route (GET): `{ user, signature }` with `Cache-Control: no-store`,
   * 401 when nobody is logged in, 500 `{ error: <error code>, field }` for a refused
   * identity. Default `/refiner/identify`; `false` adds no route.
   */
  path?: string | false
}

/**
 * Decorates every request with `refiner` (a {@link RefinerRequestData}, or
 * `null` for an anonymous or refused user; a refused one is logged once as a
 * warning). A missing, empty or padded key rejects the app's startup with
 * `ERR_REFINER_INVALID_SECRET`.
 */
export declare const refinerIdentity: FastifyPluginAsync<RefinerFastifyOptions>

declare module 'fastify' {
  interface FastifyRequest {
    refiner: RefinerRequestData | null
  }
}
