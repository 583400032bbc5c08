import { traineesPerOffer, type SchedulingInstance } from './instance';

/**
 * The training MIP in row-wise arrays, independent of the solver's API.
 *
 * y[slot] (integer) = trainees of a group in one session at one step of its chain. A session's minimum counts
 * every pledge's trainees, so it binds the sum S of y over the session's slots against `need`, the trainees
 * still missing for the minimum:
 * - past its cutoff the session takes none or enough: binary o, need·o <= S <= capacity·o;
 * - before it, fewer are allowed at a cost: binary m (the session reaches its minimum), need·m <= S, and
 *   r >= S - capacity·m counts the seats at risk (r is priced in the objective).
 * Other rows: seats left per session; a group's first step holds at most its trainees; and chain order by
 * cumulative counts: for every start date t of step i, trainees starting step i by t <= trainees who finished
 * step i-1 before t.
 */
export interface TrainingMip {
  numCols: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  integrality: Int32Array;
  rowLower: number[];
  rowUpper: number[];
  starts: number[];
  indices: number[];
  values: number[];
  /** Sessions with a minimum still to reach, and their columns (see TrainingMip). */
  minimumCols: MinimumCols[];
}

/** The columns of one session's minimum: `open` (o or m), and `atRisk` (r) before the cutoff, else -1. */
export interface MinimumCols {
  offer: number;
  need: number;
  open: number;
  atRisk: number;
}

/** Sessions whose minimum constrains this plan: some of its slots are there and it needs more than one trainee. */
function offersWithMinimum(instance: SchedulingInstance): number[] {
  const used = new Set(instance.slots.map((slot) => slot.offer));
  return [...used].filter((offer) => instance.offers[offer].shortOfMinimum > 1).sort((a, b) => a - b);
}

/** Number of MIP columns the instance would need, computed without building the model. */
export function mipVariableCount(instance: SchedulingInstance): number {
  return offersWithMinimum(instance).reduce(
    (n, offer) => n + (instance.offers[offer].cutoffPassed ? 1 : 2),
    instance.slots.length,
  );
}

/** Builds the maximisation model; columns 0..slots-1 are y in slot order. */
export function buildTrainingMip(instance: SchedulingInstance): TrainingMip {
  const { slots } = instance;
  let numCols = slots.length;
  const minimumCols = offersWithMinimum(instance).map((offer): MinimumCols => {
    const open = numCols++;
    const atRisk = instance.offers[offer].cutoffPassed ? -1 : numCols++;
    return { offer, need: instance.offers[offer].shortOfMinimum, open, atRisk };
  });

  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const integrality = new Int32Array(numCols).fill(1);
  for (const [i, slot] of slots.entries()) {
    colCost[i] = instance.value[i];
    colUpper[i] = slot.upper;
  }
  for (const { offer, open, atRisk } of minimumCols) {
    colUpper[open] = 1;
    if (atRisk < 0) continue;
    colCost[atRisk] = -instance.belowMinimumCost;
    colUpper[atRisk] = instance.offers[offer].capacity;
    // Whole seats follow from integral y; a continuous r keeps the branching on y, o and m.
    integrality[atRisk] = 0;
  }

  const rows: Pick<TrainingMip, 'rowLower' | 'rowUpper' | 'starts' | 'indices' | 'values'> = {
    rowLower: [],
    rowUpper: [],
    starts: [0],
    indices: [],
    values: [],
  };
  const addRow = (lower: number, upper: number, entries: Array<[number, number]>): void => {
    for (const [col, coefficient] of entries) {
      rows.indices.push(col);
      rows.values.push(coefficient);
    }
    rows.rowLower.push(lower);
    rows.rowUpper.push(upper);
    rows.starts.push(rows.indices.length);
  };

  const slotsAt = instance.offers.map((): number[] => []);
  for (const [i, slot] of slots.entries()) slotsAt[slot.offer].push(i);
  for (const [offer, ids] of slotsAt.entries()) {
    const capacity = instance.offers[offer].capacity;
    if (ids.reduce((n, i) => n + slots[i].upper, 0) > capacity)
      addRow(
        -Infinity,
        capacity,
        ids.map((i) => [i, 1]),
      );
  }

  for (const [g, steps] of instance.slotsOf.entries()) {
    const first = steps[0] ?? [];
    const trainees = instance.groups[g].trainees;
    if (first.reduce((n, i) => n + slots[i].upper, 0) > trainees)
      addRow(
        -Infinity,
        trainees,
        first.map((i) => [i, 1]),
      );
    for (let step = 1; step < steps.length; step++) {
      const startDays = [...new Set(steps[step].map((i) => slots[i].startDay))];
      for (const day of startDays) {
        const starting = steps[step]
          .filter((i) => slots[i].startDay <= day)
          .map((i): [number, number] => [i, 1]);
        const finished = steps[step - 1]
          .filter((i) => slots[i].endDay < day)
          .map((i): [number, number] => [i, -1]);
        addRow(-Infinity, 0, [...starting, ...finished]);
      }
    }
  }

  for (const { offer, need, open, atRisk } of minimumCols) {
    const seats = slotsAt[offer].map((i): [number, number] => [i, 1]);
    const capacity = instance.offers[offer].capacity;
    addRow(0, Infinity, [...seats, [open, -need]]);
    addRow(
      -Infinity,
      0,
      atRisk < 0 ? [...seats, [open, -capacity]] : [...seats, [open, -capacity], [atRisk, -1]],
    );
  }

  return { numCols, colCost, colLower, colUpper, integrality, minimumCols, ...rows };
}

/** A start for the solver from trainee counts per slot (e.g. the greedy plan). */
export function mipStart(
  model: TrainingMip,
  instance: SchedulingInstance,
  counts: ArrayLike<number>,
): Float64Array {
  const values = new Float64Array(model.numCols);
  for (let i = 0; i < instance.slots.length; i++) values[i] = counts[i];
  const perOffer = traineesPerOffer(instance, counts);
  for (const { offer, need, open, atRisk } of model.minimumCols) {
    const trainees = perOffer[offer];
    if (atRisk < 0) {
      values[open] = trainees > 0 ? 1 : 0;
    } else {
      values[open] = trainees >= need ? 1 : 0;
      values[atRisk] = trainees >= need ? 0 : trainees;
    }
  }
  return values;
}
