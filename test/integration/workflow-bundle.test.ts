import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startWorker, type RunningWorker } from '../../worker/temporal-worker';
import { writeWorkflowBundleApart } from '../../worker/workflow-bundle';
import { validPledge } from '../support/reliability';
import { eventually, startStack, type Stack } from '../support/stack';

const madeBundles = async () =>
  (await readdir(os.tmpdir())).filter((name) => name.startsWith('nsatu-workflows-')).sort();

describe('a worker given no workflow bundle has one made by a child process', () => {
  let stack: Stack;
  let worker: RunningWorker | undefined;
  const bundlePathBefore = process.env.WORKFLOW_BUNDLE_PATH;

  beforeAll(async () => {
    stack = await startStack('workflow-bundle');
    // The stack's worker runs the prebuilt bundle of the test run; this test replaces it with one that has none.
    await stack.killWorker();
    delete process.env.WORKFLOW_BUNDLE_PATH;
  });
  afterAll(async () => {
    await worker?.stop();
    if (bundlePathBefore !== undefined) process.env.WORKFLOW_BUNDLE_PATH = bundlePathBefore;
    await stack?.stop();
  });

  it('when the worker starts without WORKFLOW_BUNDLE_PATH, then it runs pledges and leaves no bundle behind', async () => {
    const before = await madeBundles();
    worker = await startWorker(stack.config);
    expect(await madeBundles()).toEqual(before);

    const fra = await stack.as('liaison.fra');
    const res = await fra.post('/api/v1/pledges', validPledge('FRA'));
    expect(res.status).toBe(202);
    await eventually(
      async () =>
        (await fra.get(`/api/v1/pledges/${res.body.id as string}`)).body.status === 'UNDER_REVIEW' ||
        undefined,
    );
  });

  it('when the child cannot write the bundle, then the start fails with its reason', async () => {
    // A directory that cannot be made: its parent is a file.
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'nsatu-bundle-test-')), 'a-file');
    await writeFile(file, '');
    const unwritable = path.join(file, 'bundles', 'workflow-bundle.js');
    await expect(writeWorkflowBundleApart(unwritable)).rejects.toThrow(
      /bundling the workflows failed \(exit 1\)/,
    );
  });
});
