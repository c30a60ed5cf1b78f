/**
 * The digest a server-rendered page's error carries when the database could not be reached:
 * Next.js hides a server error's message from the browser but passes its own `digest` through,
 * so the API sets it and the page's error boundary says what happened and retries by itself.
 */
export const DATABASE_UNAVAILABLE_DIGEST = 'DTSS_DATABASE_UNAVAILABLE';
