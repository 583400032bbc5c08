import { WorkflowIdReusePolicy } from '@temporalio/client';
import { loadConfig, type Config } from '../infra/config';
import { connectTemporal } from '../infra/temporal';
import { seedReferenceData } from '../workflows/seed-reference-data';

/** The database name in a MongoDB URI (the seed workflow id includes it: one seeding per database). */
export const databaseName = (uri: string) =>
  new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.slice(1) || 'test';

/** Runs the reference-data seeding workflow to completion (idempotent: safe to run again). */
export async function seed(config: Config = loadConfig(process.env, { auth: false })) {
  const temporal = await connectTemporal(config);
  try {
    return await temporal.client.workflow.execute(seedReferenceData, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `seed-reference-data-${databaseName(config.MONGODB_URI)}`,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ sessionsFrom: new Date().toISOString().slice(0, 10) }],
    });
  } finally {
    await temporal.close();
  }
}

if (require.main === module) {
  seed().then(
    (r) => console.log('seeded', JSON.stringify(r.created)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
