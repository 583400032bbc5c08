// The workflow bundle's entry point: every workflow type the worker runs.
export { pledgeLifecycle } from './pledge-lifecycle';
export { pledgeIntake } from './pledge-intake';
export { compatibilityReview } from './compatibility-review';
export { seedReferenceData } from './seed-reference-data';
