import pino from 'pino';

export type Logger = pino.Logger;

/** The process logger; every line is JSON with the service name. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, redact: ['req.headers.authorization', 'password', '*.password'] });
}
