// The package's CommonJS entry: napi's generated loader (index.js), whose
// catch-all "npm has a bug related to optional dependencies" error becomes one
// that names this platform, the platforms with a prebuilt binary, and how to
// build one from source.
'use strict'

const { name, optionalDependencies = {} } = require('./package.json')

// napi's name for this platform: the suffix of its binary package.
function platformName() {
  const { platform, arch } = process
  if (platform === 'win32') return `win32-${arch}-msvc`
  if (platform !== 'linux') return `${platform}-${arch}`
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null
  return `linux-${arch}-${report?.header?.glibcVersionRuntime ? 'gnu' : 'musl'}`
}

function noBinary(cause) {
  const here = platformName()
  const prebuilt = Object.keys(optionalDependencies)
    .filter((dependency) => dependency.startsWith(`${name}-`))
    .map((dependency) => dependency.slice(name.length + 1))
  const lines =
    prebuilt.includes(here)
      ? [
          `${name}: the prebuilt binary for ${here} did not load (see error.cause).`,
          `It comes in the optional dependency ${name}-${here}: reinstall without --omit=optional` +
            (here.endsWith('-gnu') ? '; it needs glibc >= 2.17.' : '.'),
        ]
      : [
          `${name}: no prebuilt binary for ${here} (Node ${process.version}).`,
          `Prebuilt binaries: ${prebuilt.length > 0 ? prebuilt.join(', ') : 'none in this copy of the package'}.`,
        ]
  lines.push(
    'To build one from source (Rust >= 1.88): in a clone of the repository run',
    '`cd bindings-node && npm ci && npx napi build --platform --release`, then point',
    'NAPI_RS_NATIVE_LIBRARY_PATH at the refiner-identity.*.node file it wrote.',
  )
  const error = new Error(lines.join('\n'))
  error.code = 'ERR_REFINER_NO_BINARY'
  // napi's own error only wraps the attempts (each file and package it tried).
  error.cause = napiGaveUp(cause) ? cause.cause : cause
  return error
}

function napiGaveUp(error) {
  return error instanceof Error && error.message.startsWith('Cannot find native binding') && error.cause !== undefined
}

try {
  module.exports = require('./index.js')
} catch (error) {
  throw noBinary(error)
}
