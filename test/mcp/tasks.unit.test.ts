// Unit tests of src/mcp/tasks.ts's reading of a request: whether a 2026-07-28 request declared
// the Tasks extension. (test/mcp/tasks.modern.test.ts drives it through the running Worker.)
import { describe, expect, it } from "vitest";
import { declaresTasks, TASKS_EXTENSION } from "../../src/mcp/tasks.js";

const CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
const declaring = (capabilities: unknown) => ({ name: "chat_completion", _meta: { [CAPABILITIES]: capabilities } });

describe("declaresTasks", () => {
  it("finds the extension under the declared capabilities' extensions, whatever its settings", () => {
    for (const settings of [{}, { any: "thing" }, null, 0, false, "", []]) {
      expect(declaresTasks(declaring({ extensions: { [TASKS_EXTENSION]: settings } }))).toBe(true);
    }
    const many = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`x/${i}`, {}]));
    expect(declaresTasks(declaring({ extensions: { ...many, [TASKS_EXTENSION]: {} } }))).toBe(true);
  });

  it("is false when the request declares no extension, or nothing that is one", () => {
    for (const params of [
      undefined,
      {},
      { _meta: {} },
      { _meta: null },
      { _meta: "x" },
      { _meta: [] },
      declaring(undefined),
      declaring(null),
      declaring([]),
      declaring("extensions"),
      declaring({}),
      declaring({ extensions: null }),
      declaring({ extensions: [TASKS_EXTENSION] }),
      declaring({ extensions: TASKS_EXTENSION }),
      declaring({ extensions: { "io.modelcontextprotocol/other": {} } }),
      declaring({ [TASKS_EXTENSION]: {} }),
      { _meta: { extensions: { [TASKS_EXTENSION]: {} } } },
    ]) {
      expect(declaresTasks(params as Record<string, unknown> | undefined)).toBe(false);
    }
  });
});
