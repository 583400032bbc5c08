/**
 * The workflow bundle: workflows/ and what they import, packed by the SDK's webpack for the worker's sandbox.
 * Bundling in the worker's own process would keep webpack and its garbage there for the process's life (about
 * 85 MiB of resident memory, measured idle), so a worker given no bundle has one made by a short-lived child.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { engineProcess } from './process-tuning';

const WORKFLOWS = path.resolve(__dirname, '../workflows');

/**
 * Each cached workflow evaluates the bundle's modules afresh (the SDK keeps a module cache per workflow), so a
 * heavy library imported by workflow code is paid once per waiting pledge: zod alone cost about 1.7 MiB each.
 */
const HEAVY_LIBRARIES = ['zod', 'mongoose', 'ioredis', 'bullmq'];

/** Bundles the workflows into `outFile`; refuses a bundle that carries a heavy library. */
export async function writeWorkflowBundle(outFile: string): Promise<void> {
  // Before the bundling, which takes a while: a place that cannot be written to fails at once.
  mkdirSync(path.dirname(outFile), { recursive: true });
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: console.warn,
      error: console.error,
    },
  });
  const heavy = HEAVY_LIBRARIES.filter((lib) => code.includes(`./node_modules/${lib}/`));
  if (heavy.length) {
    throw new Error(
      `workflow code imports ${heavy.join(', ')}: keep schemas and I/O libraries out of workflows/ and the domain modules they import`,
    );
  }
  writeFileSync(outFile, code);
}

/** Runs writeWorkflowBundle in a child process, so that webpack's memory goes when it exits. */
export function writeWorkflowBundleApart(outFile: string): Promise<void> {
  const started = engineProcess(__filename);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...started.args, outFile], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`bundling the workflows failed (${signal ?? `exit ${code}`}); see the log above`)),
    );
  });
}

if (require.main === module) {
  const outFile = process.argv[2];
  if (!outFile) {
    console.error('usage: workflow-bundle.ts <out-file>');
    process.exit(2);
  }
  writeWorkflowBundle(path.resolve(outFile)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
