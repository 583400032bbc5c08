// Installs web/'s own packages when they are missing or package-lock.json changed since the last install,
// so `npm run build:web` at the root works on a fresh clone (scripts/setup.sh builds the app).
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(web, 'node_modules/.nsatu-web-lock-hash');
const hash = createHash('sha256')
  .update(readFileSync(path.join(web, 'package-lock.json')))
  .digest('hex');

if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
  console.log('web: installing packages (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { cwd: web, stdio: 'inherit' });
  writeFileSync(stamp, hash);
}
