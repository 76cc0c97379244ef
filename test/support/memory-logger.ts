import type { LogFields, Logger, LogLevel } from '../../electron/core/app/logger';

export interface LogEntry {
  level: LogLevel;
  module: string;
  message: string;
  fields?: LogFields;
}

/** A logger that keeps what it is told, as `entries` and as `module: message` lines. */
export function memoryLogger(): Logger & { entries: LogEntry[]; lines: string[] } {
  const entries: LogEntry[] = [];
  const lines: string[] = [];
  const make = (module: string): Logger => {
    const at = (level: LogLevel) => (message: string, fields?: LogFields) => {
      entries.push({ level, module, message, ...(fields ? { fields } : {}) });
      lines.push(`${module}: ${message}`);
    };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (m) => make(m) };
  };
  return Object.assign(make('test'), { entries, lines });
}
