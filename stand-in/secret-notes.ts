// The stand-in's half of the test suite's secret ledger (test/support/secret-ledger.ts): every
// key, code and verifier the stand-in issues or receives is appended to a file in the folder that
// SECRET_LEDGER_DIR names, so the suite can check that none of them reached a log. The suite's
// global setup sets the variable, and every process it starts inherits it (test files, and
// `npm run demo` started by a test); elsewhere (the demo or the bench run by hand) nothing is noted.
import { appendFileSync, mkdirSync } from "node:fs";

export const SECRET_LEDGER_ENV = "SECRET_LEDGER_DIR";

export type SecretKind = "key" | "code" | "verifier" | "token" | "token-secret";

/** The file name each process notes into (its pid keeps parallel test files apart). */
export const SECRETS_FILE_PREFIX = "secrets-";

const noted = new Set<string>();

export function noteSecret(kind: SecretKind, value: unknown): void {
  const dir = process.env[SECRET_LEDGER_ENV];
  // Short values would match by chance; every real secret here is far longer.
  if (dir === undefined || typeof value !== "string" || value.length < 12 || noted.has(value)) return;
  noted.add(value);
  mkdirSync(dir, { recursive: true });
  appendFileSync(`${dir}/${SECRETS_FILE_PREFIX}${process.pid}.jsonl`, `${JSON.stringify({ kind, value })}\n`);
}
