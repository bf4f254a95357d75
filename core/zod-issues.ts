// How a refused value's problems are written as text, wherever HQ reports them: a 400's field paths
// and detail, an import row's error, a REJECTED op's reason. One form everywhere — "lines.0.unit_price:
// Too big; code: …" — so a reader (and a test) sees the same path for the same field on every route.

/** A zod issue's path as HQ names fields: "lines.0.unit_price"; '' for the value itself. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * Issues as one line, "path: message; path: message". A path is a zod path or one already written by
 * issuePath; `whole` stands in for an empty one (the value itself, e.g. "(row)"). The text may quote
 * what was refused (zod names unknown keys): callers that store it make it well-formed (truncateText).
 */
export function issuesText(issues: readonly { path: readonly PropertyKey[] | string; message: string }[], whole = '(value)'): string {
  return issues.map((i) => `${(typeof i.path === 'string' ? i.path : issuePath(i.path)) || whole}: ${i.message}`).join('; ');
}
