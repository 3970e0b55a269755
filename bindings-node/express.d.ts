// Types of refiner-identity/express. Express is not a dependency, so requests
// and responses are typed by what the middleware uses.
import type { IdentifiedUser, Identity } from './index.js'

/** What the middleware puts in `res.locals.refiner` for an identified request. */
export interface RefinerLocals {
  /** `<script nonce="...">_refiner('identifyUser',...);</script>`, for the page's `<head>`. */
  readonly scriptTag: string
  /** `_refiner('identifyUser',USER_JSON,{"signature":"..."});`, for a script of your own. */
  readonly identifyCall: string
  /** `{ user, signature }`: what the JSON endpoint answers. */
  readonly payload: { user: IdentifiedUser; signature: string }
}

/** The response as the middleware uses it (Express's `Response` fits). */
export interface RefinerResponse {
  locals: Record<string, any>
  set(field: string, value: string): unknown
  status(code: number): { json(body: unknown): unknown }
}

export interface RefinerExpressOptions<Req = any, Res extends RefinerResponse = any> {
  /** The secret key; left out, `REFINER_SECRET_KEY` is read. Checked when the middleware is made. */
  secret?: string | Uint8Array
  /**
   * The identity of the request's user, or `null`/`undefined` when nobody is
   * logged in (a user whose `id` is null or undefined is treated the same).
   */
  getUser(req: Req, res: Res): Identity | null | undefined | Promise<Identity | null | undefined>
  /** The CSP nonce for the script tag; default `res.locals.cspNonce` (helmet's convention). */
  nonce?(req: Req, res: Res): string | null | undefined
  /** Where a refused identity is reported, once per request; default `console`. */
  logger?: { warn(message: string): unknown }
}

export type RefinerNext = (error?: unknown) => void

/** The middleware; `identify` is the JSON endpoint's route handler. */
export interface RefinerMiddleware<Req = any, Res extends RefinerResponse = any> {
  (req: Req, res: Res, next: RefinerNext): Promise<void>
  /**
   * Answers `{ user, signature }` with `Cache-Control: no-store`; 401
   * `{ error: 'ERR_REFINER_ANONYMOUS' }` when nobody is logged in; 500
   * `{ error: <error code>, field }` when the identity is refused.
   */
  identify(req: Req, res: Res, next: RefinerNext): Promise<void>
}

/**
 * Sets `res.locals.refiner` (a {@link RefinerLocals}, or `null` for an
 * anonymous or refused user) on every request it handles. Throws
 * `ERR_REFINER_INVALID_SECRET` at once for a missing, empty or padded key.
 */
export declare function refinerIdentity<Req = any, Res extends RefinerResponse = any>(
  options: RefinerExpressOptions<Req, Res>,
): RefinerMiddleware<Req, Res>
