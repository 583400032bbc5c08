import { loadConfig } from '../infra/config';
import { connectMongo } from '../infra/mongo';
import { connectRedis, redisReady } from '../infra/redis';
import { createStore } from '../store';
import { rebuildProjections } from '../store/projection-rebuild';

/**
 * Rebuilds every read projection (pledge pages and lists, the inbox, comments, session seats) from the record in
 * MongoDB/FerretDB. Running API processes load the new views as soon as it is done; the engine stays up meanwhile.
 */
async function main() {
  const config = loadConfig(process.env, { auth: false });
  const connection = await connectMongo(config.MONGODB_URI);
  const redis = connectRedis(config.REDIS_URL, 'producer');
  try {
    await redisReady(redis);
    const counts = await rebuildProjections(createStore(connection), redis, config.QUEUE_PREFIX);
    if (!counts) {
      console.error('another process is rebuilding the projections right now; try again when it is done');
      process.exitCode = 3;
      return;
    }
    console.log(
      `projections rebuilt in ${counts.ms} ms: ${counts.pledges} pledges, ${counts.tasks} tasks, ${counts.comments} comments, ${counts.sessions} sessions`,
    );
  } finally {
    redis.disconnect();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
