"""Reference renderer (SPEC.md section 9) from Python's standard library only:
json, hmac, urllib.parse.quote and datetime. One JSON line in ({"cases": [...]}),
one JSON line out ({"results": [[identify_call, script_tag, payload, gtm_traits,
gtm_script_tag, survey_link], ...]}); the case format is in README.md here."""
import datetime
import hashlib
import hmac
import json
import sys
from urllib.parse import quote

SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def value(tagged):
    if "text" in tagged:
        return tagged["text"]
    if "int" in tagged:
        return int(tagged["int"])
    if "date" in tagged:
        return tagged["date"]
    if "ts_ms" in tagged:
        t = EPOCH + datetime.timedelta(milliseconds=tagged["ts_ms"])
        return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}Z"
    return None


def pairs(items):
    return [(name, value(tagged)) for name, tagged in items if value(tagged) is not None]


def script_json(obj):
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return "".join(SCRIPT_ESCAPES.get(ch, ch) for ch in text)


def render(case):
    key = case["key"].encode()
    user_id = case["id"]["text"] if "text" in case["id"] else str(int(case["id"]["int"]))
    signature = hmac.new(key, user_id.encode(), hashlib.sha256).hexdigest()
    user = {"id": user_id}
    for field in ("email", "name"):
        if case.get(field) is not None:
            user[field] = case[field]
    user.update(pairs(case.get("traits", [])))
    user_json = script_json(user)
    call = f"_refiner('identifyUser',{user_json},{{\"signature\":\"{signature}\"}});"
    nonce = case.get("nonce")
    open_tag = f'<script nonce="{nonce}">' if nonce is not None else "<script>"
    gtm = dict(user, identify_verification_signature=signature)
    gtm_tag = f"{open_tag}window.dataLayer=window.dataLayer||[];window.dataLayer.push({script_json(gtm)});</script>"
    return [call, f"{open_tag}{call}</script>", {"user": user, "signature": signature}, gtm, gtm_tag,
            survey_link(case, user_id, signature)]


def survey_link(case, user_id, signature):
    def q(text):
        return quote(str(text), safe="-._~")

    params = [("contact_id", user_id), ("signature", signature)]
    for field in ("email", "name"):
        if case.get(field) is not None:
            params.append((f"contact_{field}", case[field]))
    params += [(f"contact_{name}", v) for name, v in pairs(case.get("traits", []))]
    if case.get("locale"):
        params.append(("locale", case["locale"]))
    tags = case.get("tags")
    if tags:
        params.append(("tags", tags if isinstance(tags, str) else ",".join(tags)))
    params += [(f"response_{name}", v) for name, v in pairs(case.get("response", []))]
    url = case["url"]
    base, hash_mark, fragment = url.partition("#")
    if "?" not in base:
        base += "?"
    elif not base.endswith("?") and not base.endswith("&"):
        base += "&"
    return base + "&".join(f"{q(n)}={q(v)}" for n, v in params) + hash_mark + fragment


for line in sys.stdin:
    request = json.loads(line)
    sys.stdout.write(json.dumps({"results": [render(c) for c in request["cases"]]}) + "\n")
    sys.stdout.flush()
