import type { Principal } from '../domain/permissions';
import type { Actor } from '../domain/tasks';

/** The principal as workflows see it. */
export const actorOf = (p: Principal): Actor => ({
  username: p.username,
  roles: p.roles,
  nation: p.nation,
  coalitions: p.coalitions ?? [],
});
