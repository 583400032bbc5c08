import type { Highs } from 'highs';
import type { TrainingMip } from './mip-model';

export interface MipOutcome {
  /** HiGHS model status, e.g. optimal or timeLimit. */
  status: string;
  /** Column values of the best solution found, or null when there is none. */
  values: Float64Array | null;
  objective: number | null;
  /** Proven upper bound on the objective (maximisation). */
  bound: number | null;
}

export interface MipOptions {
  timeLimitSeconds: number;
  /** The ready-by-deadline term dominates the objective, so this is about a shortfall of ready trainees. */
  relativeGap: number;
}

let runtime: Promise<Highs> | undefined;

/** The HiGHS WASM runtime, loaded once on first use (its module too: a worker that never plans does without it). */
function loadHighs(): Promise<Highs> {
  runtime ??= import('highs').then((m) => m.default());
  return runtime;
}

/**
 * Solves the model with HiGHS from `start` (a feasible plan, so there is an incumbent from the outset).
 * Each solve gets its own native model, disposed afterwards; after an error the runtime is dropped so the
 * next solve loads a fresh one instead of reusing a possibly corrupted WASM heap (or a failed load).
 */
export async function solveMip(
  model: TrainingMip,
  start: Float64Array | null,
  options: MipOptions,
): Promise<MipOutcome> {
  try {
    const highs = await loadHighs();
    const infinity = highs.infinity;
    const finite = (bounds: number[]): Float64Array =>
      Float64Array.from(bounds, (b) => Math.max(-infinity, Math.min(infinity, b)));
    return highs.withModel(
      {
        numCols: model.numCols,
        numRows: model.rowLower.length,
        sense: highs.constants.objectiveSense.maximize,
        colCost: model.colCost,
        colLower: model.colLower,
        colUpper: model.colUpper,
        rowLower: finite(model.rowLower),
        rowUpper: finite(model.rowUpper),
        matrix: {
          format: 'csr',
          numRows: model.rowLower.length,
          numCols: model.numCols,
          starts: Int32Array.from(model.starts),
          indices: Int32Array.from(model.indices),
          values: Float64Array.from(model.values),
        },
        integrality: model.integrality,
      },
      (m) => {
        m.options.set({
          output_flag: false,
          time_limit: options.timeLimitSeconds,
          mip_rel_gap: options.relativeGap,
        });
        if (start) m.setSolution({ colValue: start });
        m.run();
        const code = m.getModelStatus();
        const status = statusName(highs, code);
        const hasSolution = Number(m.info.get('primal_solution_status')) === 2;
        return {
          status,
          values: hasSolution ? m.getSolution().colValue : null,
          objective: hasSolution ? m.getObjectiveValue() : null,
          bound: finiteOrNull(Number(m.info.get('mip_dual_bound'))),
        };
      },
    );
  } catch (error) {
    runtime = undefined;
    throw error;
  }
}

function statusName(highs: Highs, code: number): string {
  const entry = Object.entries(highs.constants.modelStatus).find(([, value]) => value === code);
  return entry ? entry[0] : `status ${code}`;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) && Math.abs(value) < 1e30 ? value : null;
}
