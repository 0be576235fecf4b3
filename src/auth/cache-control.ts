// Reading a response's Cache-Control the way a shared cache must (RFC 9111).

/** How many seconds a shared cache may keep the response; 0 when it may not keep it at all. */
export function sharedCacheSeconds(cacheControl: string | null): number {
  if (cacheControl === null) return 0;
  const directives = cacheControl.toLowerCase();
  if (/(?:^|[\s,])(?:no-store|no-cache|private)(?:[\s,=]|$)/.test(directives)) return 0;
  // s-maxage speaks to shared caches and wins over max-age.
  const maxAge =
    /(?:^|[\s,])s-maxage\s*=\s*"?(\d+)/.exec(directives) ?? /(?:^|[\s,])max-age\s*=\s*"?(\d+)/.exec(directives);
  return maxAge ? Number(maxAge[1]) : 0;
}
