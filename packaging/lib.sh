# Shared by the packaging scripts (sourced, not run).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIST=${REFINER_DIST_DIR:-$ROOT/dist}  # another directory: to check other builds of the artifacts
# The one version (workspace Cargo.toml); `make version V=x.y.z` changes it everywhere.
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -n 1)
# glibc 2.17 (CentOS 7, manylinux2014) is the floor of every Linux binary we ship.
GLIBC_TARGET=x86_64-unknown-linux-gnu.2.17
# zig (the ziglang package) and the Python tools come from the project venv.
export PATH="$ROOT/.venv/bin:$PATH"

# PATH without any directory holding cargo or rustc: a machine with no Rust.
no_rust_path() {
  local dir kept=()
  IFS=: read -r -a dirs <<<"$PATH"
  for dir in "${dirs[@]}"; do
    [[ -n "$dir" && ! -e "$dir/cargo" && ! -e "$dir/rustc" ]] && kept+=("$dir")
  done
  (IFS=:; echo "${kept[*]}")
}

# Seconds since $1 (a `date +%s.%N` reading), one decimal.
seconds_since() {
  awk -v start="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f", now - start }'
}

# The newest GLIBC_x.y symbol version an ELF file needs ("none" if it needs none).
glibc_floor() {
  objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1 | grep . || echo none
}

human_size() {
  numfmt --to=iec --suffix=B "$(stat -c %s "$1")"
}

# One line of the dist-check report: artifact, size, glibc floor, install time[, note].
report() {
  printf '%-62s %7s  glibc %-5s  installed in %5s s%s\n' "$(basename "$1")" "$(human_size "$1")" "$2" "$3" "${4:+  ($4)}" \
    | tee -a "${DIST_REPORT:-/dev/null}"
}

# Fails unless every GLIBC symbol version ELF file $1 needs is at most 2.17.
assert_glibc_217() {
  local floor
  floor=$(glibc_floor "$1")
  if [[ "$floor" != none && "$(printf '%s\n2.17\n' "$floor" | sort -V | tail -n 1)" != 2.17 ]]; then
    echo "$1 needs glibc $floor (> 2.17):" >&2
    objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sort -uV >&2
    return 1
  fi
  echo "$floor"
}

# The newest glibc any ELF file under directory $1 needs, failing if one needs
# more than 2.17 or if there is no ELF file at all.
assert_elfs_glibc_217() {
  local file floor newest=none count=0
  while IFS= read -r -d '' file; do
    head -c 4 "$file" | cmp -s - <(printf '\177ELF') || continue
    floor=$(assert_glibc_217 "$file") || return 1
    count=$((count + 1))
    [[ "$floor" == none ]] || newest=$(printf '%s\n%s\n' "${newest/none/0}" "$floor" | sort -V | tail -n 1)
  done < <(find "$1" -type f -print0)
  (( count > 0 )) || { echo "no ELF file under $1" >&2; return 1; }
  echo "$newest"
}

fail() {
  echo "dist-check: $*" >&2
  exit 1
}
