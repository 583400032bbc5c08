import path from 'node:path';
import { loadConfig } from '../infra/config';

const ROOT = path.resolve(__dirname, '..');

/**
 * Where the services are, as `infra/services.sh` and the engine see them: a service whose URL is in the environment
 * (TEMPORAL_ADDRESS, MONGODB_URI, REDIS_URL) is external; the others are this machine's, on the NSATU_*_PORT ports
 * with their data under NSATU_DATA_DIR.
 */
export function serviceTargets(env: NodeJS.ProcessEnv = process.env, database = 'nsatu') {
  // Backups and restores log nobody in: the engine's authentication settings are not theirs to check.
  const config = loadConfig(env, { auth: false });
  const set = (name: string) => Boolean(env[name]);
  return {
    config,
    dataDir: env.NSATU_DATA_DIR || path.join(ROOT, '.data'),
    temporal: {
      external: set('TEMPORAL_ADDRESS'),
      address: env.TEMPORAL_ADDRESS || `127.0.0.1:${env.NSATU_TEMPORAL_PORT || 7233}`,
    },
    mongo: {
      external: set('MONGODB_URI'),
      uri: env.MONGODB_URI || `mongodb://127.0.0.1:${env.NSATU_FERRETDB_PORT || 27017}/${database}`,
    },
    redis: {
      external: set('REDIS_URL'),
      url: env.REDIS_URL || `redis://127.0.0.1:${env.NSATU_REDIS_PORT || 6390}`,
    },
  };
}

export const SERVICES_SCRIPT = path.join(ROOT, 'infra/services.sh');
export const DEFAULT_BACKUP_DIR = path.join(ROOT, 'backups');
