// Unit tests of src/secret-strength.ts: which TOKEN_SECRET values are refused as plainly not random.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { estimatedBits, secretStrengthProblem } from "../src/secret-strength.js";

/** Secrets that are long enough and printable, yet plainly not random. */
const WEAK_SECRETS = [
  ["one character", "x".repeat(40)],
  ["two characters in turn", "ab".repeat(20)],
  ["a repeated block", "password1234password1234password1234"],
  ["a repeated word", "changeme".repeat(5)],
  ["few distinct characters", "a".repeat(39) + "b"],
  ["a numbered word", "secret01secret02secret03secret04"],
  ["a run of letters and digits", "abcdefghijklmnopqrstuvwxyzABCDEF0123"],
  ["a run of digits", "0123456789".repeat(4)],
  ["a run of odd digits", "13579".repeat(8)],
] as const;

describe("secretStrengthProblem", () => {
  it.each(WEAK_SECRETS)("refuses %s, naming the command that makes a good one", (_, secret) => {
    const problem = secretStrengthProblem(secret);
    expect(problem).toMatch(
      /^is not random enough \(an estimated \d+ bits, where about 128 are wanted\): make one with: openssl rand -base64 32$/,
    );
    expect(problem).not.toContain(secret);
  });

  it.each([
    ["too short", "s3cr3t-but-only-24-chars", /at least 32 random characters/],
    ["with spaces", "correct horse battery staple and more words", /printable ASCII without spaces/],
    ["with a character outside ASCII", `${randomBytes(32).toString("base64")}é`, /printable ASCII/],
  ])("refuses a secret %s", (_, secret, problem) => {
    expect(secretStrengthProblem(secret)).toMatch(problem);
  });

  it("takes what openssl rand -base64 32 and -hex 32 make, and 24 random bytes in base64, every time", () => {
    // Truly random bytes (fast-check would also draw the all-zero arrays no generator makes).
    for (let i = 0; i < 500; i++) {
      const bytes = randomBytes(32);
      expect(secretStrengthProblem(bytes.toString("base64"))).toBeUndefined();
      expect(secretStrengthProblem(bytes.toString("base64url"))).toBeUndefined();
      expect(secretStrengthProblem(bytes.toString("hex"))).toBeUndefined();
      expect(secretStrengthProblem(randomBytes(24).toString("base64"))).toBeUndefined();
    }
  });
});

describe("estimatedBits", () => {
  it("counts a repeated block once", () => {
    const block = "q8Vx2mR7tLp4Zk9Wc3Hn6Jb1Ys5Fd0Ga"; // no prefix of it is also its suffix
    expect(estimatedBits(block.repeat(3))).toBeCloseTo(estimatedBits(block), 5);
    expect(estimatedBits(block + block.slice(0, 10))).toBeCloseTo(estimatedBits(block), 5);
  });

  it("gives a random secret about what it holds, never more than its alphabet allows", () => {
    const hex = randomBytes(32).toString("hex");
    expect(estimatedBits(hex)).toBeLessThanOrEqual(256);
    expect(estimatedBits(hex)).toBeGreaterThan(200);
  });
});
