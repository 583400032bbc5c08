import type { Cohort, SolverReport } from './types';

/** The signal that brings a planning workflow a `PortfolioPlanChange`. */
export const PORTFOLIO_PLAN_SIGNAL = 'portfolioPlan';

/**
 * A new plan the portfolio planner made for a pledge whose plan was not yet confirmed, sent to its planning
 * workflow. `revision` orders the planner's runs: a workflow keeps the newest plan it has heard of.
 */
export interface PortfolioPlanChange {
  revision: number;
  cohorts: Cohort[];
  solver: SolverReport;
  /** The pledge whose planning moved this one. */
  cause: { pledgeId: string; title: string };
}

/** What the pledge's timeline says about a plan the portfolio changed. */
export const portfolioReason = (cause: PortfolioPlanChange['cause']) =>
  `re-optimised with the training portfolio when ${cause.title} (${cause.pledgeId}) was planned: ` +
  'together more trainees are ready by their delivery dates';
