// "No key, code or verifier in any log line", checked across the whole suite: the stand-in
// notes every secret it issues or receives, every Worker leaves its captured log here when it
// is disposed, and the global teardown looks for each secret in each log. Files, because test
// files run in separate processes.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const LEDGER_DIR = fileURLToPath(new URL("../../.wrangler/test-ledger/", import.meta.url));
/**
 * Set by the suite's global setup and inherited by every process it starts (test files, and
 * `npm run demo` started by a test): elsewhere (the demo or the bench run by hand) nothing is noted.
 */
const LEDGER_ENV = "SECRET_LEDGER_DIR";

export type SecretKind = "key" | "code" | "verifier" | "token" | "token-secret";

const noted = new Set<string>();

export function noteSecret(kind: SecretKind, value: unknown): void {
  const dir = process.env[LEDGER_ENV];
  // Short values would match by chance; every real secret here is far longer.
  if (dir === undefined || typeof value !== "string" || value.length < 12 || noted.has(value)) return;
  noted.add(value);
  mkdirSync(dir, { recursive: true });
  appendFileSync(`${dir}/secrets-${process.pid}.jsonl`, `${JSON.stringify({ kind, value })}\n`);
}

export function keepLog(lines: readonly string[]): void {
  mkdirSync(LEDGER_DIR, { recursive: true });
  appendFileSync(`${LEDGER_DIR}log-${process.pid}.txt`, `${lines.join("\n")}\n`);
}

export function resetLedger(): void {
  rmSync(LEDGER_DIR, { recursive: true, force: true });
  process.env[LEDGER_ENV] = LEDGER_DIR;
}

export interface LedgerReport {
  secrets: number;
  logLines: number;
  /** Which kinds of secret turned up in which log file; never the secret itself. */
  leaks: string[];
}

export function checkLedger(): LedgerReport {
  let files: string[] = [];
  try {
    files = readdirSync(LEDGER_DIR);
  } catch {
    return { secrets: 0, logLines: 0, leaks: [] };
  }
  const secrets = new Map<string, SecretKind>();
  for (const file of files.filter((f) => f.startsWith("secrets-"))) {
    for (const line of readFileSync(LEDGER_DIR + file, "utf8").split("\n")) {
      if (line === "") continue;
      const { kind, value } = JSON.parse(line) as { kind: SecretKind; value: string };
      secrets.set(value, kind);
    }
  }
  let logLines = 0;
  const leaks: string[] = [];
  for (const file of files.filter((f) => f.startsWith("log-"))) {
    const text = readFileSync(LEDGER_DIR + file, "utf8");
    logLines += text.split("\n").length - 1;
    for (const [value, kind] of secrets) if (text.includes(value)) leaks.push(`a ${kind} in ${file}`);
  }
  return { secrets: secrets.size, logLines, leaks };
}
