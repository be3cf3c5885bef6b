import { z } from "zod";

/**
 * In the browser zod must not probe for eval (`new Function`), which the
 * Content-Security-Policy forbids: the probe would be reported as a violation
 * on every page. Imported first by root.tsx, so this holds before any route
 * module builds a schema. The server keeps zod's faster compiled parsers.
 */
if (typeof document !== "undefined") z.config({ jitless: true });
