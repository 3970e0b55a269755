//! The channel renderers against output of the Python standard-library reference
//! renderer (tests/references/channels/python.py) for one hostile identity; the
//! conformance suite (`make conformance`) covers thousands more through every binding.

use refiner_identity::{
    ErrorKind, Identity, LinkOptions, LinkRequest, Signer, SurveyUrl, Tags, Trait, TraitValue, UserId,
};

// Written by tests/references/channels/python.py from the case in `identity()`
// (key "k"; see /tests/references/channels/README.md for the case format).
const IDENTIFY_CALL: &str = r##"_refiner('identifyUser',{"id":"a\u003c/script\u003e\u2028\u0001\"é","email":"x@y","plan":"pro \u0026 co","n":-5,"d":"2024-02-29","t":"1969-12-31T23:59:58Z"},{"signature":"5d79872d34f183de6ae05a0dba774d89706d1092361e601a559b292f57f3cef5"});"##;
const SCRIPT_TAG: &str = r##"<script nonce="abc">_refiner('identifyUser',{"id":"a\u003c/script\u003e\u2028\u0001\"é","email":"x@y","plan":"pro \u0026 co","n":-5,"d":"2024-02-29","t":"1969-12-31T23:59:58Z"},{"signature":"5d79872d34f183de6ae05a0dba774d89706d1092361e601a559b292f57f3cef5"});</script>"##;
const GTM_SCRIPT_TAG: &str = r##"<script nonce="abc">window.dataLayer=window.dataLayer||[];window.dataLayer.push({"id":"a\u003c/script\u003e\u2028\u0001\"é","email":"x@y","plan":"pro \u0026 co","n":-5,"d":"2024-02-29","t":"1969-12-31T23:59:58Z","identify_verification_signature":"5d79872d34f183de6ae05a0dba774d89706d1092361e601a559b292f57f3cef5"});</script>"##;
const SURVEY_LINK: &str = r##"https://s.io/x?a=1&contact_id=a%3C%2Fscript%3E%E2%80%A8%01%22%C3%A9&signature=5d79872d34f183de6ae05a0dba774d89706d1092361e601a559b292f57f3cef5&contact_email=x%40y&contact_plan=pro%20%26%20co&contact_n=-5&contact_d=2024-02-29&contact_t=1969-12-31T23%3A59%3A58Z&locale=fr&tags=a%2Cb%20c&response_src=x%20y%21%2A#f"##;

fn identity() -> Identity<'static> {
    Identity {
        id: UserId::Text("a</script>\u{2028}\u{1}\"\u{e9}"),
        email: Some("x@y"),
        name: None,
        traits: vec![
            Trait { name: "plan", value: TraitValue::Text("pro & co") },
            Trait { name: "n", value: TraitValue::Integer(-5) },
            Trait { name: "d", value: TraitValue::Date { year: 2024, month: 2, day: 29 } },
            // -1.5 s floored by the binding to whole seconds.
            Trait { name: "t", value: TraitValue::Timestamp(-2) },
        ],
    }
}

fn options() -> LinkOptions<'static> {
    LinkOptions {
        locale: Some("fr"),
        tags: Some(Tags::List(vec!["a", "b c"])),
        response: vec![Trait { name: "src", value: TraitValue::Text("x y!*") }],
    }
}

#[test]
fn renderers_match_the_reference() {
    let signer = Signer::new("k").unwrap();
    let identity = identity();
    assert_eq!(signer.identify_call(&identity).unwrap(), IDENTIFY_CALL);
    assert_eq!(signer.script_tag(&identity, Some("abc")).unwrap(), SCRIPT_TAG);
    assert_eq!(signer.gtm_script_tag(&identity, Some("abc")).unwrap(), GTM_SCRIPT_TAG);
    let url = SurveyUrl::parse("https://s.io/x?a=1#f").unwrap();
    assert_eq!(signer.survey_link(&url, &identity, &options()).unwrap(), SURVEY_LINK);
    let requests = vec![LinkRequest { identity, options: options() }; 9000];
    let links = signer.survey_links(&url, &requests).unwrap();
    assert_eq!(links.len(), 9000);
    assert!(links.iter().all(|link| link == SURVEY_LINK));
}

#[test]
fn bad_fields_are_named() {
    let signer = Signer::new("canary-secret-value").unwrap();
    let mut identity = identity();
    identity.traits.push(Trait { name: "big", value: TraitValue::Integer(2_147_483_648) });
    let error = signer.identify_call(&identity).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidTrait);
    assert!(error.to_string().contains("trait \"big\""), "{error}");
    identity.traits.pop();
    identity.traits.push(Trait { name: "signature", value: TraitValue::Text("x") });
    assert_eq!(signer.identify_call(&identity).unwrap_err().kind(), ErrorKind::InvalidTrait);
    identity.traits.pop();
    let error = signer.script_tag(&identity, Some("\"><script>")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidOption);
    assert!(!error.to_string().contains("<script>"), "{error}");
    for bad in
        ["ftp://x/", "/relative", "https://user@host/", "https:///path", "https://h/?contact_id=1", "https://h/ x"]
    {
        let error = SurveyUrl::parse(bad).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidOption, "{bad}");
    }
    let mut requests = vec![LinkRequest { identity: identity.clone(), options: options() }; 10];
    requests[7].identity.id = UserId::Bytes(b"\xff");
    let url = SurveyUrl::parse("https://s.io/x").unwrap();
    let error = signer.survey_links(&url, &requests).unwrap_err();
    assert_eq!((error.kind(), error.index()), (ErrorKind::InvalidUserId, Some(7)));
    assert!(!error.to_string().contains("canary"), "{error}");
}

#[test]
fn email_and_name_of_another_type_ask_for_text() {
    use refiner_identity::{Error, Field, TraitProblem};
    let wrong = |field| Error::trait_problem(field, TraitProblem::UnsupportedType("int".into())).to_string();
    assert_eq!(wrong(Field::Email), "invalid email: Refiner accepts text here (or null to leave it out), not int");
    assert_eq!(wrong(Field::Name), "invalid name: Refiner accepts text here (or null to leave it out), not int");
    assert!(wrong(Field::Trait("plan".into())).contains("text, integers, dates and timestamps"));
}

#[test]
fn survey_urls_need_a_well_formed_host_and_port() {
    for url in [
        "https://[::1]/s",
        "https://[2001:db8::1]:8443/s",
        "http://localhost:0/s",
        "https://h.example:65535/s",
        "https://h.example:00080/s",
    ] {
        assert!(SurveyUrl::parse(url).is_ok(), "{url} should be accepted");
    }
    for url in [
        "https://::1/s",
        "https://[zz]/s",
        "https://[::1/s",
        "https://]/s",
        "https://h.example]/s",
        "https://h[x].example/s",
        "https://h.example:65536/s",
        "https://h.example:99999999999999999999/s",
        "https://h.example:80:81/s",
        "https://h.example:/s",
        "https://[::1]:/s",
    ] {
        let error = SurveyUrl::parse(url).expect_err(url);
        assert!(error.to_string().contains("host"), "{url}: {error}");
    }
}
