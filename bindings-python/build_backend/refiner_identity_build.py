"""PEP 517 build backend: maturin's, once Rust is known to be there.

Only a build from source (the sdist, a git checkout) runs this; wheels need no
Rust. Without cargo, maturin would fetch a toolchain into a temporary
directory; this says instead what to install, or how to get a wheel.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import maturin

MINIMUM_RUST = (1, 88)


def _rust_problem() -> str | None:
    """Why this machine cannot build the extension, or None when it can."""
    cargo = shutil.which("cargo")
    if cargo is None:
        return "cargo was not found on PATH"
    try:
        output = subprocess.run([cargo, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.SubprocessError) as error:
        return f"`cargo --version` failed ({error})"
    match = re.search(r"(\d+)\.(\d+)", output)
    if match is None:
        return f"`cargo --version` printed {output.strip()!r}"
    found = (int(match.group(1)), int(match.group(2)))
    if found < MINIMUM_RUST:
        return f"found cargo {found[0]}.{found[1]}"
    return None


def _require_rust() -> None:
    problem = _rust_problem()
    if problem is None:
        return
    need = ".".join(map(str, MINIMUM_RUST))
    sys.exit(
        f"refiner-identity: building from source needs Rust >= {need}: {problem}.\n"
        f"Either install Rust >= {need} (https://rustup.rs) and retry, or install a prebuilt\n"
        "wheel, which needs no compiler: pip install --only-binary refiner-identity refiner-identity\n"
        "(wheels exist for the platforms in the project README's table: CPython >= 3.10)."
    )


# The hooks maturin defines (PEP 517 and PEP 660), each behind the Rust check.
def get_requires_for_build_wheel(config_settings=None):  # type: ignore[no-untyped-def]
    _require_rust()
    return maturin.get_requires_for_build_wheel(config_settings)


def get_requires_for_build_editable(config_settings=None):  # type: ignore[no-untyped-def]
    _require_rust()
    return maturin.get_requires_for_build_editable(config_settings)


def get_requires_for_build_sdist(config_settings=None):  # type: ignore[no-untyped-def]
    _require_rust()
    return maturin.get_requires_for_build_sdist(config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):  # type: ignore[no-untyped-def]
    _require_rust()
    return maturin.prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):  # type: ignore[no-untyped-def]
    _require_rust()
    return maturin.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):  # type: ignore[no-untyped-def]
    _require_rust()
    return maturin.build_editable(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):  # type: ignore[no-untyped-def]
    _require_rust()
    return maturin.build_sdist(sdist_directory, config_settings)
