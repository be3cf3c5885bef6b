import { formatCount } from "~/utils/number-format";
import { type RowError } from "./suppression";

/** What a pasted or uploaded suppression list came to, in words. */
export function importMessage(added: number, alreadyListed: number, refused: number): string {
  const parts = [`${formatCount(added)} added`];
  if (alreadyListed) parts.push(`${formatCount(alreadyListed)} already on the list`);
  if (refused) parts.push(`${formatCount(refused)} line${refused === 1 ? "" : "s"} refused (nothing stored from ${refused === 1 ? "it" : "them"})`);
  return `${parts.join(", ")}.`;
}

/** The refused lines as they were typed, to put back into the box for fixing. */
export function rejectedLines(text: string, errors: RowError[]): string {
  const lines = text.split(/\r\n|\r|\n/);
  return errors.map((e) => lines[e.line - 1] ?? "").join("\n");
}
