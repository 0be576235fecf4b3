// "No key, code or verifier in any log line", checked across the whole suite: the stand-in
// notes every secret it issues or receives (stand-in/secret-notes.ts; tests note the tokens they
// see with the same noteSecret), every Worker leaves its captured log here when it is disposed,
// and the global teardown looks for each secret in each log. Files, because test files run in
// separate processes.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SECRET_LEDGER_ENV, SECRETS_FILE_PREFIX, type SecretKind } from "../../stand-in/secret-notes.js";

export { noteSecret } from "../../stand-in/secret-notes.js";

const LEDGER_DIR = fileURLToPath(new URL("../../.wrangler/test-ledger/", import.meta.url));

export function keepLog(lines: readonly string[]): void {
  mkdirSync(LEDGER_DIR, { recursive: true });
  appendFileSync(`${LEDGER_DIR}log-${process.pid}.txt`, `${lines.join("\n")}\n`);
}

export function resetLedger(): void {
  rmSync(LEDGER_DIR, { recursive: true, force: true });
  process.env[SECRET_LEDGER_ENV] = LEDGER_DIR;
}

export interface LedgerReport {
  secrets: number;
  logLines: number;
  /** Which kinds of secret turned up in which log file; never the secret itself. */
  leaks: string[];
}

export function checkLedger(): LedgerReport {
  let files: string[];
  try {
    files = readdirSync(LEDGER_DIR);
  } catch {
    return { secrets: 0, logLines: 0, leaks: [] };
  }
  const secrets = new Map<string, SecretKind>();
  for (const file of files.filter((f) => f.startsWith(SECRETS_FILE_PREFIX))) {
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
