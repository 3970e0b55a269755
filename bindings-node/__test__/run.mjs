// Runs every *.test.mjs here with node:test and fails when no test ran.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const files = readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).map((f) => dir + f)
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}
const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { encoding: 'utf8' })
process.stdout.write(run.stdout)
process.stderr.write(run.stderr)
const ran = Number(/tests (\d+)/.exec(run.stdout)?.[1] ?? 0)
if (ran === 0) {
  console.error('node:test ran no test')
  process.exit(1)
}
process.exit(run.status ?? 1)
