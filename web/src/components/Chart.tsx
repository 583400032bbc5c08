import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/** A recharts chart sized to its container, described for screen readers by `label`. */
export function Chart({
  height,
  label,
  children,
}: {
  height: number;
  label: string;
  children: ReactElement;
}) {
  return (
    <div style={{ width: '100%', height }} role="img" aria-label={label}>
      <ResponsiveContainer>{children}</ResponsiveContainer>
    </div>
  );
}
