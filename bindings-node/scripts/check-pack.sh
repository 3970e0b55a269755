#!/usr/bin/env bash
# npm pack, then install the tarball into a fresh empty project and use it
# through require and import, as a user would.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tarball=$(cd "$here" && npm pack --silent --pack-destination "$tmp" | tail -n 1)
tar -tzf "$tmp/$tarball" > "$tmp/contents"
grep -q 'package/refiner-identity.linux-x64-gnu.node' "$tmp/contents" || { echo "tarball lacks the Linux x64 binary"; exit 1; }

mkdir "$tmp/app"
cd "$tmp/app"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "$tmp/$tarball"
node -e "
const { createHmac } = require('node:crypto')
const { sign, Signer } = require('refiner-identity')
const expected = createHmac('sha256', 'smoke-key').update('José 42').digest('hex')
if (sign('smoke-key', 'José 42') !== expected || new Signer('smoke-key').signMany(['José 42'])[0] !== expected) process.exit(1)
"
node --input-type=module -e "
import { sign } from 'refiner-identity'
import { createHmac } from 'node:crypto'
if (sign('k', 42n) !== createHmac('sha256', 'k').update('42').digest('hex')) process.exit(1)
"
echo "npm pack: $tarball installs into a fresh project; require and import both sign like crypto"
