// Imported first by main.tsx, before any module that defines a schema: zod
// decides whether to compile fast parsers when a schema is built, and the
// probe it runs (`new Function`) is refused by the window's
// Content-Security-Policy and reported as a violation. Shared's schemas
// (the settings form checks a tunnel with one) parse fine without it.
import { z } from 'zod';

z.config({ jitless: true });
