// One catalogue change as the dialog's tabs run it: busy while it runs, and its error (in the
// user's language) or null as the message to show.
import { errorText } from "../forms";

export async function act(busy: (on: boolean) => void, change: () => Promise<void>): Promise<string | null> {
  busy(true);
  try {
    await change();
    return null;
  } catch (err) {
    return errorText(err);
  } finally {
    busy(false);
  }
}
