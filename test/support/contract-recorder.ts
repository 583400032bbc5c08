// The hooks that fail a test over responses that broke the OpenAPI document (vitest.config.mts runs this file
// before every test file). Kept free of heavy imports: unit tests load it too.
import { afterAll, afterEach, expect } from 'vitest';
import { takeMismatches, type ContractMismatch } from './contract-mismatches';

const report = (found: ContractMismatch[]) =>
  found.map((m) => `${m.exchange}\n    ${m.problems.join('\n    ')}`).join('\n');

function expectNone(when: string) {
  const found = takeMismatches();
  expect(found.length, `responses ${when} that break the OpenAPI document:\n${report(found)}`).toBe(0);
}

// Each test answers for the responses it received; the file, for those of its set-up and tear-down.
afterEach(() => expectNone('received by this test (or the set-up before it)'));
afterAll(() => expectNone('received after the last test'));
