// `server-only` throws when imported outside React's server build; the route server is one.
export {};
