// Type-checked with `tsc --noEmit` in `make test`: the renderers' types in the
// generated index.d.ts accept what the README shows and refuse the wrong shapes.
import { Signer, type Identity, type SurveyLinkIdentity, type TraitValue } from '../index'

const signer = new Signer('secret')
const traits: Record<string, TraitValue> = { plan: 'pro', seats: 12, big: 42n, signed_up: new Date(), gone: null }
const user: Identity = { id: 42, email: 'ada@example.com', name: null, traits }
const call: string = signer.identifyCall(user)
const tag: string = signer.scriptTag({ ...user, nonce: 'r4nd0m' })
const payload: { user: Record<string, string | number>; signature: string } = signer.identifyPayload(user)
const gtm: string = signer.gtmTraits({ id: 'u', traits: new Map([['plan', 'pro']]) }).identify_verification_signature
const gtmTag: string = signer.gtmScriptTag({ id: 'u', nonce: null })
const link: SurveyLinkIdentity = { id: 'u', locale: 'fr', tags: ['a', 'b'], response: { nps: 9 } }
const one: string = signer.surveyLink('https://survey.example/s', link)
const many: string[] = signer.surveyLinks('https://survey.example/s', [link, { id: 7n }])
const later: Promise<string[]> = signer.surveyLinksAsync('https://survey.example/s', [link])

// @ts-expect-error booleans are not trait values
signer.identifyCall({ id: 'u', traits: { flag: true } })
// @ts-expect-error the identity needs an id
signer.identifyCall({ email: 'a@b.c' })
// @ts-expect-error locale belongs to survey links only
signer.identifyCall({ id: 'u', locale: 'fr' })

export { call, tag, payload, gtm, gtmTag, one, many, later }
