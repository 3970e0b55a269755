"""REFINER_USER_TRAITS of the test project: what each user tells Refiner.

A user's last_name selects hostile or refused traits, so that one request
through the real middleware can exercise each case."""

from typing import Any

HOSTILE = "</script><script>window.pwned=1</script> <!-- \u2028 'single' \"double\" \u2029 --> &amp;"

TRAITS_BY_LAST_NAME: dict[str, dict[str, Any]] = {
    # make demo's user (Ada Lovelace, id 42), as the Rails and Node apps have her.
    "Lovelace": {"plan": "pro"},
    "Hostile": {"bio": HOSTILE, "plan": "pro", "seats": 5},
    "FloatTrait": {"plan": "pro", "score": 1.5},
    "BadTraitName": {"bad name": "x"},
}


def refiner_fields(user: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"email": user.email or None, "name": user.get_full_name() or None}
    traits = TRAITS_BY_LAST_NAME.get(user.last_name)
    if traits is not None:
        fields["traits"] = traits
    if user.last_name == "LongEmail":
        fields["email"] = "x" * 10_001
    if user.last_name == "Raises":
        raise RuntimeError("the traits function failed")
    return fields
