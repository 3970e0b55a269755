// Type-checked with `tsc --noEmit` in `make test`: the generated index.d.ts must
// describe the API the README promises.
import { sign, verify, Signer, type UserId } from '../index'

const ids: UserId[] = ['user_42', 42, 42n, new Uint8Array([1, 2, 3]), Buffer.from('x')]
const one: string = sign('secret', ids[0])
const ok: boolean = verify(new Uint8Array([1]), 42n, one)
const signer: Signer = new Signer('secret', { previous: ['old', new Uint8Array([2])] })
const fromEnv: Signer = Signer.fromEnv()
const named: Signer = Signer.fromEnv('MY_KEY')
const many: string[] = signer.signMany(ids)
const later: Promise<string[]> = signer.signManyAsync(ids)
const count: number = signer.previousCount
const valid: boolean = signer.verify('user_42', signer.sign('user_42'))
const json: { secret: '<redacted>'; previousCount: number } = signer.toJSON()

// @ts-expect-error booleans are not user ids
sign('secret', true)
// @ts-expect-error null is not a secret
new Signer(null)

export { ok, fromEnv, named, many, later, count, valid, json }
