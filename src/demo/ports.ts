/** Where `npm run demo` listens unless told otherwise: the page, its Slack, and Gatehouse. */
export const DEFAULT_PORTS = { web: 3100, slack: 3101, app: 3102 } as const;
