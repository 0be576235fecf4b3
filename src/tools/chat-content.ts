// What chat_completion takes beyond text, as OpenRouter takes it: a message's content as a list
// of parts (text, image_url, video_url, file, input_audio), and the `images` and `files` shortcuts that
// attach to the prompt. The limits are stated here once; the docs and the tool's schema say them.
import * as z from "zod/mini";

/** Parts in one message's content (text, images, files and audio together). */
export const MAX_PARTS = 20;
/**
 * Characters in one data URL (or one input_audio's base64): 8 MiB, about 6 MB of file. The body
 * of a tools/call may hold 16 MiB in all (transport/http.ts), so a few such files fit in one call.
 */
const MAX_DATA_CHARS = 8 * 1024 * 1024;

const tooLong = z.maxLength(MAX_DATA_CHARS);

/**
 * An https URL, or a base64 data URL (OpenRouter refuses one of a type the part does not take).
 * The check runs over megabytes: after the header it is one character class, linear, with
 * nothing to backtrack.
 */
export const link = z
  .string()
  .check(
    tooLong,
    z.regex(
      /^(https:\/\/[^\s/?#]\S*|data:[\w.+-]+\/[\w.+-]+;base64,[A-Za-z0-9+/]*={0,2})$/,
      "must be an https URL or a base64 data URL",
    ),
  );
/** A file as OpenRouter's `file` part holds it: its name, and its contents by URL or data URL. */
export const file = z.strictObject({ filename: z.string().check(z.minLength(1), z.maxLength(255)), file_data: link });

const part = z.union([
  z.strictObject({ type: z.enum(["text"]), text: z.string() }),
  z.strictObject({
    type: z.enum(["image_url"]),
    image_url: z.strictObject({ url: link, detail: z.optional(z.enum(["auto", "low", "high"])) }),
  }),
  z.strictObject({ type: z.enum(["video_url"]), video_url: z.strictObject({ url: link }) }),
  z.strictObject({ type: z.enum(["file"]), file }),
  z.strictObject({
    type: z.enum(["input_audio"]),
    input_audio: z.strictObject({
      data: z.string().check(tooLong, z.regex(/^[A-Z0-9+/]+={0,2}$/i, "must be base64")),
      // wav, mp3, flac, m4a, ogg, aiff, aac, pcm16, pcm24, …: which ones, the provider decides.
      format: z.string().check(z.regex(/^[a-z0-9]{2,8}$/, 'must be a format like "wav"')),
    }),
  }),
]);

/** A message's content: text, or a list of parts. */
export const content = z.union([
  z.string().check(z.minLength(1)),
  z.array(part).check(z.minLength(1), z.maxLength(MAX_PARTS)),
]);

export type Content = z.infer<typeof content>;

/** The characters of text in a message's content (what MAX_CONVERSATION_CHARS counts). */
export function textLength(value: Content): number {
  return typeof value === "string"
    ? value.length
    : value.reduce((sum, item) => sum + (item.type === "text" ? item.text.length : 0), 0);
}
