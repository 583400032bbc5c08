import path from 'node:path';
import { writeWorkflowBundle } from '../../worker/workflow-bundle';

export const WORKFLOW_BUNDLE = path.resolve(__dirname, '../../.data/test/workflow-bundle.js');

/** Bundles the workflows once for the whole run; every test worker loads the same bundle. */
export default async function setup() {
  await writeWorkflowBundle(WORKFLOW_BUNDLE);
}
