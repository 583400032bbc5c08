// Where the contract check (contract.ts) records the responses that break the OpenAPI document. Free of vitest:
// the benchmarks drive the API through the same clients outside any test run.
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
