/**
 * The logger port: structured and silent by default. Any logger with pino's call shape fits
 * (`logger.warn({ op, code }, 'message')`): pino itself, or a thin wrapper around another.
 * @module
 */
export type LogFn = (fields: Record<string, unknown>, message: string) => void;

export interface SeshnLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const silent: LogFn = () => {};

/** The default: logs nothing. */
export const silentLogger: SeshnLogger = { debug: silent, info: silent, warn: silent, error: silent };
