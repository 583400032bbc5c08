import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './dedicated-services';

const SERVICES = path.resolve(__dirname, '../../infra/services.sh');

/**
 * A complete set of the engine's services (Temporal dev server, FerretDB, Redis) of one test file's own, run by
 * `infra/services.sh` exactly as on a machine, on free ports and with its data under `dataDir`.
 */
export interface LocalServices {
  dataDir: string;
  /** The environment `services.sh` and the backup/restore commands see these services through. */
  env: NodeJS.ProcessEnv;
  temporalAddress: string;
  redisUrl: string;
  mongodbUri(database: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs a command to its end, with its output captured; resolves with the exit code and output. */
export function runCommand(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      env,
      cwd: path.resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

export async function localServices(dataDir: string): Promise<LocalServices> {
  const [temporal, ui, ferretdb, redis] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NSATU_DATA_DIR: dataDir,
    NSATU_TEMPORAL_PORT: String(temporal),
    NSATU_TEMPORAL_UI_PORT: String(ui),
    NSATU_FERRETDB_PORT: String(ferretdb),
    NSATU_REDIS_PORT: String(redis),
  };
  // Set, these would make services.sh treat the services as external and start nothing.
  delete env.TEMPORAL_ADDRESS;
  delete env.MONGODB_URI;
  delete env.REDIS_URL;
  delete env.FERRETDB_BACKEND;
  const services = async (command: string) => {
    const { code, out } = await runCommand(SERVICES, [command], env);
    if (code !== 0) throw new Error(`services.sh ${command} failed (${code}):\n${out}`);
  };
  return {
    dataDir,
    env,
    temporalAddress: `127.0.0.1:${temporal}`,
    redisUrl: `redis://127.0.0.1:${redis}`,
    mongodbUri: (database) => `mongodb://127.0.0.1:${ferretdb}/${database}`,
    start: () => services('start'),
    stop: () => services('stop'),
  };
}
