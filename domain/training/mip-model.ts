import type { SchedulingInstance } from './instance';

/**
 * The training MIP in row-wise arrays, independent of the solver's API.
 *
 * y[slot] (integer) = trainees of a group in one session at one step of its chain; o[slot] (binary) opens the
 * cohort, only where the course's minimum exceeds one. Rows: seats left per session; a group's first step
 * holds at most its trainees; min·o <= y <= upper·o; and chain order by cumulative counts: for every start
 * date t of step i, trainees starting step i by t <= trainees who finished step i-1 before t.
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
  /** Column of o[slot], or -1 where no cohort-open variable is needed. */
  openCol: number[];
}

/** Number of MIP columns the instance would need, computed without building the model. */
export function mipVariableCount(instance: SchedulingInstance): number {
  return instance.slots.reduce((n, slot) => n + (slot.min > 1 ? 2 : 1), 0);
}

/** Builds the maximisation model; columns 0..slots-1 are y in slot order. */
export function buildTrainingMip(instance: SchedulingInstance): TrainingMip {
  const { slots } = instance;
  const openCol = slots.map(() => -1);
  let numCols = slots.length;
  for (const [i, slot] of slots.entries()) if (slot.min > 1) openCol[i] = numCols++;

  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const integrality = new Int32Array(numCols).fill(1);
  for (const [i, slot] of slots.entries()) {
    colCost[i] = instance.value[i];
    colUpper[i] = slot.upper;
    if (openCol[i] >= 0) colUpper[openCol[i]] = 1;
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

  for (const [i, slot] of slots.entries()) {
    if (openCol[i] < 0) continue;
    addRow(0, Infinity, [
      [i, 1],
      [openCol[i], -slot.min],
    ]);
    addRow(-Infinity, 0, [
      [i, 1],
      [openCol[i], -slot.upper],
    ]);
  }

  return { numCols, colCost, colLower, colUpper, integrality, openCol, ...rows };
}

/** A start for the solver from trainee counts per slot (e.g. the greedy plan). */
export function mipStart(model: TrainingMip, counts: ArrayLike<number>): Float64Array {
  const values = new Float64Array(model.numCols);
  for (let i = 0; i < model.openCol.length; i++) {
    values[i] = counts[i];
    if (model.openCol[i] >= 0) values[model.openCol[i]] = counts[i] > 0 ? 1 : 0;
  }
  return values;
}
