// The stand-in's answer to GET /api/v1/models: a realistic slice of OpenRouter's public model
// list, in its shape (model-list/listed-model.ts), plus the stand-in's own scenario models so a
// demo can list and pick them. The order is the list's "most-popular" order (model-orders.ts).
import { ANTHROPIC_OPENAI_MODELS } from "./model-list/anthropic-openai.js";
import { GOOGLE_AND_OTHER_MODELS } from "./model-list/google-and-others.js";
import type { ListedModel } from "./model-list/listed-model.js";
import { STAND_IN_MODELS } from "./model-list/stand-in.js";

export const MODELS: ListedModel[] = [...STAND_IN_MODELS, ...ANTHROPIC_OPENAI_MODELS, ...GOOGLE_AND_OTHER_MODELS];
