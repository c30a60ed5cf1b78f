/**
 * Writes filters into the page's query string. It reads the URL as it is when the write happens
 * (a debounced write runs after later renders) and uses the History API, which Next.js syncs into
 * useSearchParams without a round trip to the server. Empty values remove their key.
 */
export function replaceSearchParams(change: Record<string, string | null | undefined>): void {
  const url = new URL(window.location.href);
  for (const [key, value] of Object.entries(change)) {
    if (value) url.searchParams.set(key, value);
    else url.searchParams.delete(key);
  }
  const qs = url.searchParams.toString();
  // State null: Next.js syncs only History calls that are not its own (its own carry its state).
  window.history.replaceState(null, '', qs ? `${url.pathname}?${qs}` : url.pathname);
}
