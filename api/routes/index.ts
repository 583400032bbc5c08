import type { ApiDeps } from '../deps';
import type { RouteSpec } from '../http/route';
import { adminRoutes } from './admin';
import { agreementRoutes } from './agreements';
import { auditRoutes } from './audit';
import { briefRoutes } from './briefs';
import { coalitionRoutes } from './coalitions';
import { dashboardRoutes } from './dashboard';
import { deliveryRoutes } from './deliveries';
import { importRoutes } from './imports';
import { notificationRoutes } from './notifications';
import { taskRoutes } from './tasks';
import { pledgeRoutes } from './pledges';
import { referenceRoutes } from './reference';
import { requirementRoutes } from './requirements';
import { reportRoutes } from './reports';
import { signingRoutes } from './signing';
import { trainingRoutes } from './training';
import { trainingPortfolioRoutes } from './training-portfolio';

/** The API's routes apart from login and /me. */
export function apiRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    ...referenceRoutes(deps),
    // Before pledgeRoutes: GET /pledges/export.csv must not be taken for GET /pledges/:id.
    ...importRoutes(deps),
    ...pledgeRoutes(deps),
    ...dashboardRoutes(deps),
    ...reportRoutes(deps),
    ...briefRoutes(deps),
    ...taskRoutes(deps),
    ...auditRoutes(deps),
    ...notificationRoutes(deps),
    ...adminRoutes(deps),
    ...signingRoutes(deps),
    ...trainingRoutes(deps),
    ...requirementRoutes(deps),
    ...trainingPortfolioRoutes(deps),
    ...coalitionRoutes(deps),
    ...agreementRoutes(deps),
    ...deliveryRoutes(deps),
  ];
}
