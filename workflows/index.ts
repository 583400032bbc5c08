// The workflow bundle's entry point: every workflow type the worker runs.
export { pledgeLifecycle } from './pledge-lifecycle';
export { pledgeIntake } from './pledge-intake';
export { compatibilityReview } from './compatibility-review';
export { commandApproval } from './command-approval';
export { seedReferenceData } from './seed-reference-data';
export { trainingPlanning } from './training-planning';
export { seatReservation } from './seat-reservation';
export { trainingExecution } from './training-execution';
export { deliveryTracking } from './delivery-tracking';
