import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

export const WORKFLOW_BUNDLE = path.resolve(__dirname, '../../.data/test/workflow-bundle.js');

/** Bundles the workflows once for the whole run; every test worker loads the same bundle. */
export default async function setup() {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../../workflows'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: console.warn,
      error: console.error,
    },
  });
  // Each cached workflow evaluates the bundle's modules afresh (the SDK keeps a module cache per workflow), so a
  // heavy library imported by workflow code is paid once per waiting pledge: zod alone cost about 1.7 MiB each.
  const heavy = ['zod', 'mongoose', 'ioredis', 'bullmq'].filter((lib) =>
    code.includes(`./node_modules/${lib}/`),
  );
  if (heavy.length) {
    throw new Error(
      `workflow code imports ${heavy.join(', ')}: keep schemas and I/O libraries out of workflows/ and the domain modules they import`,
    );
  }
  mkdirSync(path.dirname(WORKFLOW_BUNDLE), { recursive: true });
  writeFileSync(WORKFLOW_BUNDLE, code);
}
