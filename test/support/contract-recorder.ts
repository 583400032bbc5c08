// Where the contract check (contract.ts) records the responses that break the OpenAPI document, and the hooks
// that fail a test over them (vitest.config.mts runs this file before every test file). Kept free of heavy
// imports: unit tests load it too.
import { afterAll, afterEach, expect } from 'vitest';

export interface ContractMismatch {
  /** `GET /api/v1/pledges/PL1?x=y → 200` */
  exchange: string;
  problems: string[];
}

const mismatches: ContractMismatch[] = [];
const counts = { checked: 0, outside: 0 };

export function recordMismatch(mismatch: ContractMismatch): void {
  mismatches.push(mismatch);
}

export function recordChecked(outsideTheDocument = false): void {
  if (outsideTheDocument) counts.outside++;
  else counts.checked++;
}

/** The mismatches recorded since the last call. */
export const takeMismatches = (): ContractMismatch[] => mismatches.splice(0);

/** How many responses were checked against the document so far, and how many were not the API's to answer. */
export const contractCounts = () => ({ ...counts });

const report = (found: ContractMismatch[]) =>
  found.map((m) => `${m.exchange}\n    ${m.problems.join('\n    ')}`).join('\n');

function expectNone(when: string) {
  const found = takeMismatches();
  expect(found.length, `responses ${when} that break the OpenAPI document:\n${report(found)}`).toBe(0);
}

// Each test answers for the responses it received; the file, for those of its set-up and tear-down.
afterEach(() => expectNone('received by this test (or the set-up before it)'));
afterAll(() => expectNone('received after the last test'));
