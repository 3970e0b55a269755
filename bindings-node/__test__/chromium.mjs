// Debian's chromium, headless (installed by `make setup`): the DOM of a page
// after its scripts ran. Each run gets its own profile directory, so runs of
// other tests on the machine do not share one.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const CHROMIUM = process.env.CHROMIUM ?? 'chromium'
// Generous: chromium starts slowly on a loaded 2-core machine. Not a timing assertion.
const GIVE_UP_MS = 180_000

export async function dumpDom(url) {
  const profile = mkdtempSync(join(tmpdir(), 'refiner-chromium-'))
  try {
    return await new Promise((resolve, reject) => {
      // --no-sandbox: the tests may run as root (CI containers), where chromium's sandbox refuses to start.
      // --virtual-time-budget: the page's queued tasks (CSP violation events) run before the dump.
      const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
        '--disable-background-networking', `--user-data-dir=${profile}`, '--virtual-time-budget=5000', '--dump-dom', url]
      const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
      const timer = setTimeout(() => {
        process.kill(-child.pid, 'SIGKILL') // chromium and the processes it started
        reject(new Error(`chromium did not finish within ${GIVE_UP_MS / 1000} s\n${stderr}`))
      }, GIVE_UP_MS)
      child.on('error', (error) => {
        clearTimeout(timer)
        reject(error.code === 'ENOENT' ? new Error(`${CHROMIUM} not found: make setup installs Debian's chromium`) : error)
      })
      child.on('close', (code) => {
        clearTimeout(timer)
        if (code === 0 && stdout.includes('</html>')) resolve(stdout)
        else reject(new Error(`chromium exited with ${code}\n${stderr}`))
      })
    })
  } finally {
    rmSync(profile, { recursive: true, force: true })
  }
}
