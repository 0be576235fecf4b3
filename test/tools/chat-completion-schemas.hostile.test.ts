// Every string field of every tool's arguments given 1 MiB shaped against a super-linear check,
// sent to the Worker, with a ping sent while it is refused: both are answered. No time is
// asserted; a check that backtracked would hold the isolate for minutes (a 150,000-character
// URL once took 17 s, and the ping sent meanwhile waited as long), which this test's timeout
// ends. Which fields, and which values: test/support/hostile-arguments.ts.
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { FREE_TEXT, hostileValues, STRING_FIELDS } from "../support/hostile-arguments.js";
import { postWithKey as post, rpc } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn();

const MiB = 1024 * 1024;
const VALUES = hostileValues(MiB);

describe("a hostile value of 1 MiB in any string field", () => {
  it.each(Object.entries(STRING_FIELDS).filter(([name]) => !FREE_TEXT.has(name)))(
    "%s is refused as a tool error, nothing sent upstream, while a ping sent meanwhile is answered",
    async (name, place) => {
      const tool = name.split(" ")[0]!;
      const before = standIn.chatRequests().length;
      for (const value of VALUES) {
        const refused = post(worker.mcpUrl, rpc(1, "tools/call", { name: tool, arguments: place(value) }), {
          accept: "application/json",
        });
        const ping = post(worker.mcpUrl, rpc(2, "ping"), { accept: "application/json" });
        const [call, pong] = await Promise.all([refused, ping]);
        expect(pong.status).toBe(200);
        expect(await pong.json()).toEqual({ jsonrpc: "2.0", id: 2, result: {} });
        expect(call.status).toBe(200);
        const { result } = await call.json();
        expect(result.isError, `${name}: ${value.slice(0, 24)}…`).toBe(true);
        expect(result.content[0].text).toMatch(new RegExp(`^Invalid arguments for ${tool}: `));
        // The refusal names the field and never echoes the megabyte.
        expect(JSON.stringify(result).length).toBeLessThan(2048);
      }
      expect(standIn.chatRequests().length).toBe(before);
    },
  );
});
