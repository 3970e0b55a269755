//! TypeScript shapes of the renderers' arguments and results. index.d.ts is
//! generated from these declarations; no value is ever converted through them
//! (identity_reader.rs reads the arguments by hand).
#![allow(dead_code)]

use napi::bindgen_prelude::{BigInt, Either, Either6, Null, Undefined};
use napi::JsDate;
use napi_derive::napi;

/// A trait (or survey `response`) value: text; an integer from -2147483647 to
/// 2147483647 (a safe-integer number or a bigint); a `Date` (rendered in UTC
/// as `YYYY-MM-DDTHH:MM:SSZ`, whole seconds, floored); `null` or `undefined`
/// leaves it out. Anything else throws `ERR_REFINER_INVALID_TRAIT`.
#[napi]
pub type TraitValue = Either6<String, f64, BigInt, JsDate<'static>, Null, Undefined>;

/// A user to identify. Only the object's own enumerable keys are read, each
/// once; any other key throws a `TypeError`.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct Identity {
    /// The user id, as for `sign`; rendered as the exact text that was signed.
    #[napi(ts_type = "UserId")]
    pub id: (),
    #[napi(ts_type = "string | null")]
    pub email: Option<()>,
    #[napi(ts_type = "string | null")]
    pub name: Option<()>,
    /// Names match `[A-Za-z_][A-Za-z0-9_]*` (at most 100 characters), in insertion order.
    #[napi(ts_type = "Record<string, TraitValue> | Map<string, TraitValue> | null")]
    pub traits: Option<()>,
}

/// An identity and the contextual options of its survey link.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct SurveyLinkIdentity {
    #[napi(ts_type = "UserId")]
    pub id: (),
    #[napi(ts_type = "string | null")]
    pub email: Option<()>,
    #[napi(ts_type = "string | null")]
    pub name: Option<()>,
    #[napi(ts_type = "Record<string, TraitValue> | Map<string, TraitValue> | null")]
    pub traits: Option<()>,
    /// The `locale` parameter (left out when empty).
    #[napi(ts_type = "string | null")]
    pub locale: Option<()>,
    /// The `tags` parameter: one string, or tags joined with `,` (a tag may not hold a comma).
    #[napi(ts_type = "string | string[] | null")]
    pub tags: Option<()>,
    /// Contextual values, sent as `response_<name>`.
    #[napi(ts_type = "Record<string, TraitValue> | Map<string, TraitValue> | null")]
    pub response: Option<()>,
}

/// The user as `identifyPayload` and `gtmTraits` return it: `id` (always a
/// string), `email`, `name`, then the traits in order (integers as numbers,
/// dates as `YYYY-MM-DDTHH:MM:SSZ` strings).
#[napi]
pub type IdentifiedUser = std::collections::HashMap<String, Either<String, f64>>;
