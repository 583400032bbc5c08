/**
 * A cycle in the courses' prerequisites (each course's prerequisite ids, by course id) as the path that closes it
 * (`a -> b -> a`), or null when there is none. A cycle would leave a course that no trainee can ever start.
 */
export function prerequisiteCycle(prerequisites: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...path, id];
    state.set(id, 'visiting');
    for (const next of prerequisites.get(id) ?? []) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return null;
  };
  for (const id of prerequisites.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return null;
}
