// Worker code that this project type-checks too (through bench/ and test imports) uses
// Cloudflare's `caches.default`, which the DOM lib's CacheStorage does not declare.
interface CacheStorage {
  readonly default: Cache;
}
