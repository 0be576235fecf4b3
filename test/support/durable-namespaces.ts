// Durable Object namespaces for unit tests that run without workerd: each object is a plain
// object answering from memory, reached by name as the Worker reaches the real ones.
import type { DurableBindings } from "../../src/durable/bindings.js";

/** Both namespaces, their objects made by `callNamed` and `ledgerNamed` (asked again for each stub, as the runtime does). */
export function standInBindings(
  callNamed: (name: string) => object,
  ledgerNamed: (name: string) => object = callNamed,
): DurableBindings {
  // Test doubles: only the methods the code under test calls are there.
  const namespace = (objectNamed: (name: string) => object) => ({
    idFromName: (name: string) => name,
    getByName: objectNamed,
  });
  return {
    calls: namespace(callNamed) as unknown as DurableBindings["calls"],
    ledgers: namespace(ledgerNamed) as unknown as DurableBindings["ledgers"],
  };
}
