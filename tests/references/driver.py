"""Drives the reference scripts of this folder as long-lived processes.

Each case is (key bytes, user id) where the user id is bytes or an int; every
reference computes the signature its own way (see README.md here).
"""
from __future__ import annotations

import os
import subprocess
import threading
from typing import Callable, Iterable, Sequence, TypeVar, Union

HERE = os.path.dirname(os.path.abspath(__file__))
UserIdInput = Union[bytes, int]
T = TypeVar("T")

REFERENCES = {
    "node crypto.createHmac": ["node", os.path.join(HERE, "node.js")],
    "php hash_hmac": ["php", os.path.join(HERE, "php.php")],
    "ruby OpenSSL::HMAC": ["ruby", os.path.join(HERE, "ruby.rb")],
    "python hmac": ["python3", os.path.join(HERE, "python.py")],
}


def exchange(process: subprocess.Popen, payload: str, read: Callable[[], T]) -> T:
    """Writes `payload` to the process from a thread while `read` takes its answer:
    a big batch would otherwise fill both pipes and deadlock."""
    assert process.stdin is not None

    def write() -> None:
        assert process.stdin is not None
        process.stdin.write(payload)
        process.stdin.flush()

    writer = threading.Thread(target=write)
    writer.start()
    answer = read()
    writer.join()
    return answer


def encode_case(key: bytes, user_id: UserIdInput) -> str:
    if isinstance(user_id, int):
        return f"{key.hex()} int {user_id}\n"
    return f"{key.hex()} hex {user_id.hex()}\n"


class Reference:
    """One reference process; `sign` sends a batch and reads its answers."""

    def __init__(self, name: str, command: Sequence[str]):
        self.name = name
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="ascii"
        )

    def sign(self, cases: Sequence[tuple[bytes, UserIdInput]]) -> list[str]:
        payload = "".join(encode_case(key, uid) for key, uid in cases) + "\n"
        stdout = self.process.stdout
        assert stdout is not None
        answers = exchange(self.process, payload, lambda: [stdout.readline().rstrip("\n") for _ in cases])
        if any(len(a) != 64 for a in answers):
            raise RuntimeError(f"{self.name} gave a malformed answer (did it crash?)")
        return answers

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def start_all() -> list[Reference]:
    return [Reference(name, command) for name, command in REFERENCES.items()]


def sign_everywhere(references: Iterable[Reference], cases: Sequence[tuple[bytes, UserIdInput]]) -> dict[str, list[str]]:
    return {ref.name: ref.sign(cases) for ref in references}
