//! The core's channel renderers against `Signer::sign`, for the user of the
//! bindings' channel rows (email, name, 5 traits): what a binding can reach at
//! best. Timed in interleaved rounds; ratios are medians of per-round ratios,
//! so load from other processes hits every call of a round alike.
//! Outputs are first checked against a rendering built by hand from the
//! `hmac` crate, so a fast wrong answer fails the bench.

use std::hint::black_box;
use std::time::Instant;

use hmac::{KeyInit, Mac};
use refiner_identity::{Identity, LinkOptions, Signer, SurveyUrl, Trait, TraitValue, UserId};

const KEY: &[u8] = b"bench-secret-key-0123456789";
const URL: &str = "https://refiner.example/s/abc?src=mail";
const USER_ID: &str = "user-1234567";
const ROUNDS: usize = 15;
const CALLS: u32 = 50_000;

fn reference_hex(message: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(KEY).expect("any key length works");
    mac.update(message);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn identity() -> Identity<'static> {
    let traits = [
        ("plan", TraitValue::Text("pro")),
        ("seats", TraitValue::Integer(5)),
        ("company", TraitValue::Text("Acme & Co")),
        ("role", TraitValue::Text("admin")),
        ("score", TraitValue::Integer(42)),
    ];
    Identity {
        id: UserId::Text(USER_ID),
        email: Some("jane@example.com"),
        name: Some("Jane Doe"),
        traits: traits.into_iter().map(|(name, value)| Trait { name, value }).collect(),
    }
}

/// A named call to time.
type Timed<'a> = Box<dyn Fn() + 'a>;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn ns_per_call(call: &dyn Fn()) -> f64 {
    let start = Instant::now();
    for _ in 0..CALLS {
        call();
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(CALLS)
}

fn main() {
    let signer = Signer::new(KEY).expect("valid bench key");
    let user = identity();
    let options = LinkOptions::default();
    let signature = reference_hex(USER_ID.as_bytes());
    let expected_call = format!(
        "_refiner('identifyUser',{{\"id\":\"{USER_ID}\",\"email\":\"jane@example.com\",\"name\":\"Jane Doe\",\
         \"plan\":\"pro\",\"seats\":5,\"company\":\"Acme \\u0026 Co\",\"role\":\"admin\",\"score\":42}},\
         {{\"signature\":\"{signature}\"}});"
    );
    let expected_link = format!(
        "{URL}&contact_id={USER_ID}&signature={signature}&contact_email=jane%40example.com&contact_name=Jane%20Doe\
         &contact_plan=pro&contact_seats=5&contact_company=Acme%20%26%20Co&contact_role=admin&contact_score=42"
    );
    let parsed = SurveyUrl::parse(URL).expect("valid bench URL");
    assert_eq!(signer.identify_call(&user).expect("valid identity"), expected_call);
    assert_eq!(signer.survey_link(&parsed, &user, &options).expect("valid identity"), expected_link);

    let calls: [(&str, Timed<'_>); 4] = [
        ("Signer::sign", Box::new(|| drop(black_box(signer.sign(black_box(user.id)))))),
        ("Signer::identify_call", Box::new(|| drop(black_box(signer.identify_call(black_box(&user)))))),
        (
            "Signer::survey_link (URL parsed once)",
            Box::new(|| drop(black_box(signer.survey_link(black_box(&parsed), black_box(&user), &options)))),
        ),
        (
            "SurveyUrl::parse + Signer::survey_link",
            Box::new(|| {
                let parsed = SurveyUrl::parse(black_box(URL)).expect("valid bench URL");
                drop(black_box(signer.survey_link(&parsed, black_box(&user), &options)))
            }),
        ),
    ];
    let rounds: Vec<Vec<f64>> =
        (0..ROUNDS).map(|_| calls.iter().map(|(_, call)| ns_per_call(call.as_ref())).collect()).collect();
    println!("core channel renderers (email, name, 5 traits; {ROUNDS} interleaved rounds of {CALLS} calls):");
    for (column, (name, _)) in calls.iter().enumerate() {
        let ns = median(rounds.iter().map(|round| round[column]).collect());
        let vs_sign = median(rounds.iter().map(|round| round[column] / round[0]).collect());
        println!("  {name}: {ns:.0} ns, {vs_sign:.2}x Signer::sign");
    }
}
