"""Reference: the standard library, hmac.new(KEY, USER_ID, hashlib.sha256).hexdigest()."""
import hashlib
import hmac
import sys

out = []
for line in sys.stdin:
    line = line.rstrip("\n")
    if not line:
        sys.stdout.write("".join(out))
        sys.stdout.flush()
        out = []
        continue
    key_hex, kind, value = line.split(" ")
    user_id = str(int(value)).encode() if kind == "int" else bytes.fromhex(value)
    out.append(hmac.new(bytes.fromhex(key_hex), user_id, hashlib.sha256).hexdigest() + "\n")
sys.stdout.write("".join(out))
