"""examples/channels.py (the README's renderer example) prints exactly what the
standard-library reference renders for the same user."""
from __future__ import annotations

import datetime as dt
import json
import pathlib
import subprocess
import sys

import channels_reference as ref

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "channels.py"
SECRET = "demo-secret-key-do-not-use-in-production"
USER = {
    "email": "jane@example.com",
    "name": "Jane </script> Doe",
    "traits": {"plan": "pro", "seats": 5, "signed_up": dt.date(2024, 2, 29),
               "last_seen": dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)},
}


def test_example_output_equals_the_reference() -> None:
    out = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, check=True).stdout
    url = "https://refiner.example/s/abc"
    expected = [
        ref.identify_call(SECRET, "user_42", **USER),
        ref.script_tag(SECRET, "user_42", nonce="r4nd0m", **USER),
        json.dumps(json.loads(ref.identify_payload_json(SECRET, "user_42", **USER))),
        json.dumps(json.loads(ref.gtm_traits_json(SECRET, "user_42", **USER))),
        ref.gtm_script_tag(SECRET, "user_42", **USER),
        ref.survey_link(SECRET, url + "?src=mail#top", "user_42", locale="de", tags=["beta", "vip"],
                        response={"source": "email"}, **USER),
        ref.survey_link(SECRET, url, "user_42"),
        ref.survey_link(SECRET, url, 7, locale="fr"),
    ]
    assert out.splitlines() == expected
