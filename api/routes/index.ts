import type { ApiDeps } from '../deps';
import type { RouteSpec } from '../http/route';
import { adminRoutes } from './admin';
import { auditRoutes } from './audit';
import { notificationRoutes } from './notifications';
import { taskRoutes } from './tasks';
import { pledgeRoutes } from './pledges';
import { referenceRoutes } from './reference';

/** The API's routes apart from login and /me. */
export function apiRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    ...referenceRoutes(deps),
    ...pledgeRoutes(deps),
    ...taskRoutes(deps),
    ...auditRoutes(deps),
    ...notificationRoutes(deps),
    ...adminRoutes(deps),
  ];
}
