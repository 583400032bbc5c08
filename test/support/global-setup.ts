import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

export const WORKFLOW_BUNDLE = path.resolve(__dirname, '../../.data/test/workflow-bundle.js');

/** Bundles the workflows once for the whole run; every test worker loads the same bundle. */
export default async function setup() {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../../workflows'),
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error },
  });
  mkdirSync(path.dirname(WORKFLOW_BUNDLE), { recursive: true });
  writeFileSync(WORKFLOW_BUNDLE, code);
}
