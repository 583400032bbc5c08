import path from 'node:path';
import { loadConfig } from '../infra/config';
import { supervise } from '../infra/supervisor';
import { engineProcess } from '../worker/process-tuning';
import { submitDemoPledges } from './demo-pledges';
import { stateDemoRequirements } from './demo-requirements';
import { seed } from './seed';

/**
 * Runs the three processes of the engine (API, Temporal worker, jobs worker), each its own
 * process as in production and each restarted if it dies; optionally seeds reference data and
 * demo pledges. Ctrl-C stops all.
 */
async function main() {
  const config = loadConfig();
  const root = path.resolve(__dirname, '..');
  // A process that dies (a crash, kill -9, the database gone while it starts) is started again after a
  // growing delay; what it was doing is safe in Temporal, Redis and the database.
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    // Each process is given its time to drain, then killed; the engine is gone within 10 s whatever happens.
    setTimeout(() => process.exit(code || 1), 9_500).unref();
    Promise.all(processes.map((p) => p.stop(9_000))).then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  const processes = ['api/server.ts', 'worker/temporal-worker.ts', 'worker/jobs-worker.ts'].map((entry) => {
    const started = engineProcess(path.join(root, entry));
    return supervise(
      // One process per entry (node with the TypeScript loader, no wrapper), so a kill reaches the process itself.
      {
        name: entry,
        command: process.execPath,
        args: started.args,
        env: { ...process.env, ...started.env },
      },
      {
        onExit: (name, code, signal, restartInMs) =>
          console.error(`${name} exited (${signal ?? code}); restarting it in ${restartInMs} ms`),
        onGiveUp: (name) => {
          console.error(`${name} keeps failing at start-up; stopping the engine (see its log above)`);
          stopAll(1);
        },
      },
    );
  });
  process.once('SIGINT', () => stopAll(0));
  process.once('SIGTERM', () => stopAll(0));

  const baseUrl = `http://127.0.0.1:${config.PORT}`;
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (process.argv.includes('--seed')) {
    const result = await seed(config);
    console.log(`reference data seeded: ${JSON.stringify(result.created)}`);
  }
  if (process.argv.includes('--demo') && config.SEED_DEMO_USERS) {
    // Requirements first, so the demo pledges' reviews match them.
    const requirements = await stateDemoRequirements(baseUrl, config.DEMO_PASSWORD);
    console.log(`demo requirements: ${requirements.length}`);
    const ids = await submitDemoPledges(baseUrl, config.DEMO_PASSWORD);
    console.log(`demo pledges: ${ids.join(', ')}`);
  }
  console.log(`
  nsatu-engine is running
    web app and API   ${baseUrl}/
    API docs          ${baseUrl}/api/docs
    OpenAPI           ${baseUrl}/api/v1/openapi.json
    Temporal Web UI   http://127.0.0.1:8233
    metrics           ${baseUrl}/metrics ${config.METRICS_TOKEN ? '(Authorization: Bearer $METRICS_TOKEN)' : '(off: set METRICS_TOKEN)'}
  ${config.AUTH_MODE === 'demo' ? 'DEMO MODE: a well-known signing secret and demo users; never expose this engine' : 'secure mode'}
  demo logins (password: ${config.SEED_DEMO_USERS ? config.DEMO_PASSWORD : 'n/a outside demo mode'}):
    liaison.fra, liaison.deu, liaison.ukr, staff, reviewer, trainer, cos, commander, deputy, saceur, auditor, admin
  Ctrl-C stops the engine; ./infra/services.sh stop stops the services.
`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
