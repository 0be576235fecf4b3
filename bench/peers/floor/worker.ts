// The floor: a Worker that answers every request with the same constant JSON-RPC result, reading
// nothing. Its per-request CPU is the least any Worker spends in workerd (HTTP in and out, one
// isolate entry), so the other Workers' CPU reads as a multiple of it.
const BODY = '{"jsonrpc":"2.0","id":1,"result":{}}';

export default {
  fetch: (): Response => new Response(BODY, { headers: { "Content-Type": "application/json" } }),
};
