// Unit tests of src/mcp/versions.ts: which revisions we speak, and initialize's negotiation.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BATCH_PROTOCOL_VERSION,
  isModernVersion,
  isSupportedVersion,
  LATEST_LEGACY_VERSION,
  LEGACY_PROTOCOL_VERSIONS,
  MODERN_PROTOCOL_VERSION,
  negotiateVersion,
  SUPPORTED_PROTOCOL_VERSIONS,
  VERSION_WHEN_HEADER_ABSENT,
} from "../../src/mcp/versions.js";

describe("protocol versions", () => {
  it("lists the modern revision first, then the legacy ones newest first", () => {
    expect(SUPPORTED_PROTOCOL_VERSIONS).toEqual(["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]);
    expect(LEGACY_PROTOCOL_VERSIONS[0]).toBe(LATEST_LEGACY_VERSION);
    expect([...LEGACY_PROTOCOL_VERSIONS].sort().reverse()).toEqual(LEGACY_PROTOCOL_VERSIONS);
  });

  it("tells the eras apart", () => {
    expect(isModernVersion(MODERN_PROTOCOL_VERSION)).toBe(true);
    for (const version of LEGACY_PROTOCOL_VERSIONS) {
      expect(isModernVersion(version)).toBe(false);
      expect(isSupportedVersion(version)).toBe(true);
    }
    for (const version of ["", "2025-11-26", "2026-07-28 ", "latest", "2024-10-07"])
      expect(isSupportedVersion(version)).toBe(false);
  });

  it("assumes a legacy revision we speak when the header is absent, and batches only in 2025-03-26", () => {
    expect(LEGACY_PROTOCOL_VERSIONS).toContain(VERSION_WHEN_HEADER_ABSENT);
    expect(VERSION_WHEN_HEADER_ABSENT).toBe("2025-03-26");
    expect(BATCH_PROTOCOL_VERSION).toBe("2025-03-26");
  });
});

describe("negotiateVersion (initialize)", () => {
  it("echoes every legacy version it is asked for", () => {
    for (const version of LEGACY_PROTOCOL_VERSIONS) expect(negotiateVersion(version)).toBe(version);
  });

  it("offers the latest legacy version for the modern one, an unknown one, or no string at all", () => {
    for (const requested of [MODERN_PROTOCOL_VERSION, "2099-01-01", "", undefined, null, 20251125, ["2025-06-18"]]) {
      expect(negotiateVersion(requested)).toBe(LATEST_LEGACY_VERSION);
    }
  });

  it("always answers a legacy version we speak", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom(...SUPPORTED_PROTOCOL_VERSIONS), fc.jsonValue()),
        (requested) => {
          expect(LEGACY_PROTOCOL_VERSIONS).toContain(negotiateVersion(requested));
        },
      ),
    );
  });
});
