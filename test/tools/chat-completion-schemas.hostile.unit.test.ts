// Every string a tool's arguments may hold, found by walking the schemas (so that a field added
// later is added to test/support/hostile-arguments.ts, and so to the Worker test that sends each
// one at 1 MiB), and refused when shaped against a super-linear check unless its text is free.
// Small values here: a check that backtracked would block this process, which no test timeout
// can interrupt; test/tools/chat-completion-schemas.hostile.test.ts sends 1 MiB to a Worker.
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { inputSchema as chatArguments } from "../../src/tools/chat-completion-schemas.js";
import { inputSchema as completionArguments } from "../../src/tools/get-completion-schemas.js";
import { inputSchema as listArguments } from "../../src/tools/list-models-schemas.js";
import { FREE_TEXT, hostileValues, STRING_FIELDS } from "../support/hostile-arguments.js";

const SCHEMAS: Record<string, z.ZodMiniType> = {
  chat_completion: chatArguments,
  list_models: listArguments,
  get_completion: completionArguments,
};

/** A union's option by the one `type` it takes (a content part's), else by its place. */
function optionName(option: z.ZodMiniType, place: number): string {
  const type = (option._zod.def as unknown as { shape?: { type?: z.ZodMiniType } }).shape?.type;
  const values = (type?._zod.def as unknown as { entries?: Record<string, string> } | undefined)?.entries;
  const only = values && Object.values(values);
  return only?.length === 1 ? only[0]! : String(place);
}

/** The paths of every string in a schema: `.a.b[]` for objects and arrays, `|<type>` (else `|<place>`) for a union's options. */
function stringFields(schema: z.ZodMiniType, path = ""): string[] {
  const def = schema._zod.def as unknown as Record<string, any>;
  switch (def.type) {
    case "string":
      return [path];
    case "object":
      return Object.entries(def.shape as Record<string, z.ZodMiniType>).flatMap(([key, value]) =>
        stringFields(value, `${path}.${key}`),
      );
    case "array":
      return stringFields(def.element, `${path}[]`);
    case "union":
      return (def.options as z.ZodMiniType[]).flatMap((option, i) =>
        stringFields(option, `${path}|${optionName(option, i)}`),
      );
    case "optional":
    case "nullable":
      return stringFields(def.innerType, path);
    case "pipe":
      return stringFields(def.in, path);
    default:
      return [];
  }
}

describe("every string field of every tool's arguments", () => {
  it("is listed in test/support/hostile-arguments.ts: the walk of the schemas finds no other", () => {
    const walked = Object.entries(SCHEMAS).flatMap(([tool, schema]) => stringFields(schema).map((p) => `${tool} ${p}`));
    expect(walked.sort()).toEqual(Object.keys(STRING_FIELDS).sort());
  });

  it.each(Object.entries(STRING_FIELDS))("%s refuses what is shaped against a super-linear check", (name, place) => {
    const schema = SCHEMAS[name.split(" ")[0]!]!;
    for (const value of hostileValues(4096)) {
      const parsed = z.safeParse(schema, place(value));
      if (!FREE_TEXT.has(name)) expect(parsed.success, `${name}: ${value.slice(0, 24)}…`).toBe(false);
    }
  });
});
