import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

const WEB_DIST = path.resolve(__dirname, '../web/dist');

/** Serves the built web app (same origin as the API) when it has been built. */
export function mountWebApp(app: Express) {
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) return;
  app.use(express.static(WEB_DIST, { index: false, maxAge: '1h' }));
  app.get(/^\/(?!api\/|healthz|readyz|metrics).*/, (_req, res) => {
    res.sendFile(path.join(WEB_DIST, 'index.html'));
  });
}
