// The bench's table: each section adds its rows (a figure, its baseline, the target it is held
// to), and the table is printed once at the end and written into bench/results/latest.json.

export interface Row {
  metric: string;
  ours: number;
  baseline: number | null;
  /** What the baseline is: "naive relay", "SDK v1", "SDK v2". */
  against: string;
  unit: string;
  /** How many times better ours is than the baseline (rates: ours/baseline; costs: baseline/ours). */
  advantage: number | null;
  target: string;
  met: boolean | null;
}
export const rows: Row[] = [];
export function row(
  metric: string,
  ours: number,
  baseline: number | null,
  unit: string,
  target: string,
  met: boolean | null,
  higherIsBetter = false,
  against = "",
): void {
  const advantage = baseline === null ? null : higherIsBetter ? ours / baseline : baseline / ours;
  rows.push({ metric, ours, baseline, against, unit, advantage, target, met });
}

export function printTable(): void {
  const format = (n: number | null, unit: string) =>
    n === null ? "" : `${n >= 100 ? n.toFixed(0) : n.toFixed(2)} ${unit}`;
  const lines = rows.map((r) => [
    r.metric,
    format(r.ours, r.unit),
    r.baseline === null ? "" : `${r.against} ${format(r.baseline, r.unit)}`,
    r.advantage === null ? "" : `${r.advantage.toFixed(1)}×`,
    r.target,
    r.met === null ? "" : r.met ? "met" : "NOT MET",
  ]);
  const header = ["metric", "ours", "baseline", "ours better by", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i]!)).join(" | "));
  print(header);
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  lines.forEach(print);
  console.log(
    "\nbaselines: naive = naive relay (lines split by hand, JSON.parse per frame, a notification per chunk);",
  );
  console.log(
    "SDK v1 = @modelcontextprotocol/sdk McpServer + web-standard transport, stateless; SDK v2 = @modelcontextprotocol/server createMcpHandler, both eras.",
  );
}
