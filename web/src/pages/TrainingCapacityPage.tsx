import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, engine, ok, type Schemas } from '../api/client';
import { useApi } from '../api/use-api';
import { controlProps, Empty, ErrorBox, Field, Loading, PageTitle, Section } from '../components/common';
import { formatMonth, plural } from '../lib/format';
import { serverFieldErrors } from '../lib/validation';

type CapacityCell = Schemas['CapacityCell'];

/** How full a cell is, for its shade: demand against the seats offered. */
function heatOf(cell: CapacityCell): string {
  if (cell.oversubscribed) return 'heat-over';
  if (cell.offered === 0) return 'heat-none';
  const share = Math.max(cell.demanded, cell.reserved) / cell.offered;
  return share >= 0.75 ? 'heat-high' : share > 0 ? 'heat-low' : 'heat-none';
}

const cellText = (c: CapacityCell) =>
  `${plural(c.demanded, 'seat')} demanded, ${plural(c.offered, 'seat')} offered in ${plural(c.sessions, 'session')}, ${c.reserved} reserved`;

/** Seats offered, reserved and demanded per course and month, with the months where demand exceeds supply. */
export function TrainingCapacityPage() {
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [draft, setDraft] = useState({ from: '', to: '' });
  const capacity = useApi(
    (signal) => ok(engine.GET('/api/v1/training/capacity', { params: { query: range }, signal })),
    [range.from, range.to],
  );
  const fieldErrors =
    capacity.error instanceof ApiError && capacity.error.status === 400
      ? serverFieldErrors(capacity.error.details)
      : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setRange({ from: draft.from || undefined, to: draft.to || undefined });
  };

  const view = capacity.data;
  const over = view?.courses.flatMap((c) => c.cells.filter((cell) => cell.oversubscribed)).length ?? 0;
  return (
    <>
      <PageTitle actions={<Link to="/training/what-if">Try a what-if</Link>}>Training capacity</PageTitle>
      <Section id="capacity-range" title="Months">
        <form className="inline-form" onSubmit={submit} noValidate>
          <Field id="capacity-from" label="From (month)" error={fieldErrors['query.from']}>
            <input
              type="month"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
              {...controlProps('capacity-from', fieldErrors['query.from'])}
            />
          </Field>
          <Field id="capacity-to" label="To (month)" error={fieldErrors['query.to']}>
            <input
              type="month"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
              {...controlProps('capacity-to', fieldErrors['query.to'])}
            />
          </Field>
          <button type="submit" className="btn btn-primary">
            Show
          </button>
        </form>
        <p className="muted small">
          Demand counts every pledge in review or later, in the month its crews must start each course to be
          ready by delivery, whether or not they already hold a seat.
        </p>
      </Section>
      <Section id="capacity" title="Seats by course and month">
        {capacity.loading && !view && <Loading what="Loading the capacity" />}
        {capacity.error && !Object.keys(fieldErrors).length && <ErrorBox error={capacity.error} />}
        {view && view.courses.length === 0 && (
          <Empty>No seats are offered or demanded in these months.</Empty>
        )}
        {view && view.courses.length > 0 && (
          <>
            <p data-testid="capacity-summary">
              {over === 0
                ? 'Demand stays within the seats offered in every month.'
                : `${plural(over, 'course-month')} where more seats are demanded than offered (marked “over”).`}{' '}
              <span className="muted">
                Each cell: seats demanded / offered, with those reserved below. Pledges counted:{' '}
                {view.pledges}.
              </span>
            </p>
            <div className="table-wrap" role="region" aria-label="Capacity by course and month" tabIndex={0}>
              <table className="table heatmap" data-testid="capacity-table">
                <thead>
                  <tr>
                    <th scope="col">Course</th>
                    {view.months.map((m) => (
                      <th scope="col" key={m} className="num">
                        {formatMonth(`${m}-01`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {view.courses.map((course) => (
                    <tr key={course.courseId} data-testid="capacity-row" data-course={course.courseId}>
                      <th scope="row">{course.name}</th>
                      {course.cells.map((cell) => (
                        <td
                          key={cell.month}
                          className={`num ${heatOf(cell)}`}
                          title={cellText(cell)}
                          data-month={cell.month}
                          data-oversubscribed={cell.oversubscribed || undefined}
                        >
                          <span className="sr-only">{cellText(cell)}</span>
                          <span aria-hidden="true">
                            {cell.demanded} / {cell.offered}
                            <br />
                            <span className="small">{cell.reserved} res.</span>
                          </span>
                          {cell.oversubscribed && <span className="heat-flag">over</span>}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Section>
    </>
  );
}
