import type { Messages } from "./en";
import { en } from "./en";
// TEMPORARY STUB
export const fr: Messages = { ...en };
