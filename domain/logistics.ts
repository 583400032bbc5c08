import { isReceived, type DeliveryLot } from './delivery-lots';
import { addDays } from './training/dates';

/** How far ahead the logistics page looks for lots due, and how far back for arrivals. */
export const DUE_SOON_DAYS = 30;
export const ARRIVED_WITHIN_DAYS = 7;

const receivedOn = (lot: DeliveryLot) => lot.milestones.find((m) => m.state === 'received')?.at ?? null;

/**
 * The delivery cell's day: lots due within the next 30 days, lots overdue (planned before today and not received)
 * and lots received within the last 7 days, across the pledges given.
 */
export function logisticsOverview<P>(
  pledges: ReadonlyArray<{ pledge: P; lots: readonly DeliveryLot[] }>,
  today: string,
) {
  const all = pledges.flatMap(({ pledge, lots }) => lots.map((lot) => ({ lot, pledge })));
  const open = all.filter(({ lot }) => !isReceived(lot));
  const dueBy = addDays(today, DUE_SOON_DAYS);
  const arrivedSince = addDays(today, -ARRIVED_WITHIN_DAYS);
  const byPlanned = (a: { lot: DeliveryLot }, b: { lot: DeliveryLot }) =>
    a.lot.plannedOn.localeCompare(b.lot.plannedOn) || a.lot.id.localeCompare(b.lot.id);
  return {
    today,
    dueSoon: open.filter(({ lot }) => lot.plannedOn >= today && lot.plannedOn <= dueBy).sort(byPlanned),
    overdue: open.filter(({ lot }) => lot.plannedOn < today).sort(byPlanned),
    arrivedThisWeek: all
      .filter(({ lot }) => (receivedOn(lot) ?? '') > arrivedSince)
      .sort(
        (a, b) => receivedOn(b.lot)!.localeCompare(receivedOn(a.lot)!) || a.lot.id.localeCompare(b.lot.id),
      ),
  };
}
