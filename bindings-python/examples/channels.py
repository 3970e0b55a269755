"""Every Refiner channel for one user: the identify call, script tags, the JSON
payload, Google Tag Manager traits and survey links (run by the tests)."""
import json
from datetime import date, datetime, timezone

from refiner_identity import Signer

# In production: Signer.from_env() reads REFINER_SECRET_KEY.
signer = Signer("demo-secret-key-do-not-use-in-production")
user = {
    "email": "jane@example.com",
    "name": "Jane </script> Doe",
    "traits": {"plan": "pro", "seats": 5, "signed_up": date(2024, 2, 29),
               "last_seen": datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)},
}

print(signer.identify_call("user_42", **user))
print(signer.script_tag("user_42", **user, nonce="r4nd0m"))
print(json.dumps(signer.identify_payload("user_42", **user)))
print(json.dumps(signer.gtm_traits("user_42", **user)))
print(signer.gtm_script_tag("user_42", **user))
print(signer.survey_link("https://refiner.example/s/abc?src=mail#top", "user_42", **user,
                         locale="de", tags=["beta", "vip"], response={"source": "email"}))
for link in signer.survey_links("https://refiner.example/s/abc", [{"id": "user_42"}, {"id": 7, "locale": "fr"}]):
    print(link)
