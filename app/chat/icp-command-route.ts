import { EXAMPLE_COMMANDS as ICP_EXAMPLES, understandIcpCommand } from "~/icp/command";
import { closeIndustryMatches, editDistance, findIndustry } from "~/icp/industries";
import { PRD_EXAMPLES, type ChatCommand, type RouteFailure } from "./commands";

/**
 * Chat sentences that change the ICP or the nightly schedule: handed to the
 * ICP understander, and when it refuses, repaired into sentences it accepts
 * (a mistyped industry, a range without its unit) for the user to click.
 */

const ICP_CUE =
  /\b(?:icp|ideal customer|customer profile|target(?:ing)?|focus|employees?|staff|headcount|nightly|every night|overnight|industr(?:y|ies)|sectors?|schedul\w*|daily cap|cap|run at|region|exclud\w*)\b|^(?:refresh|set|change|update|switch|narrow|restrict|limit|pause|resume|stop|don'?t|do not|enable|disable|turn|no more)\b/i;

export function routeIcp(text: string): ChatCommand | RouteFailure | null {
  if (!ICP_CUE.test(text)) return null;
  const understood = understandIcpCommand(text);
  if (understood.ok) return { kind: "update_icp", change: understood.change, schedule: understood.schedule, refresh: understood.refresh };
  const fixes = icpRepairs(text);
  const suggestions = fixes.length ? fixes : icpSuggestionSentences(text, understood.suggestions);
  const message =
    fixes.length && !/Did you mean/.test(understood.message) ? understood.message.replace(/ Try for example:.*$/, " Did you mean:") : understood.message;
  return { ok: false, message, suggestions };
}

/** Sentences one repair away that the ICP understander accepts: a mistyped industry, a range without its unit. */
function icpRepairs(text: string): string[] {
  const out: string[] = [];
  const range = /(\d[\d,]*\s*[-–]\s*\d[\d,]*)(?!\s*(?:employees|staff|people|headcount|\d))/.exec(text);
  if (range) out.push(`${text.slice(0, range.index + range[0].length)} employees${text.slice(range.index + range[0].length)}`);
  for (const word of text.split(/[\s,;.!?()]+/)) {
    if (word.length < 4 || findIndustry(word) || /^\d/.test(word)) continue;
    const close = closeIndustryMatches(word, 1)[0];
    if (close) out.push(text.replace(word, close));
  }
  return [...new Set(out.filter((sentence) => understandIcpCommand(sentence).ok))].slice(0, 4);
}

/** Industry words and "10-200 employees" from the ICP understander become whole sentences the user can click. */
function icpSuggestionSentences(original: string, suggestions: string[]): string[] {
  const sentences: string[] = [];
  for (const suggestion of suggestions) {
    if ((ICP_EXAMPLES as readonly string[]).includes(suggestion) || (PRD_EXAMPLES as readonly string[]).includes(suggestion)) {
      sentences.push(suggestion);
      continue;
    }
    const range = suggestion.match(/^(\d[\d,]*\s*[-–]\s*\d[\d,]*|\d[\d,]*) employees$/);
    if (range) {
      const bare = new RegExp(`${range[1]!.replace(/\s*[-–]\s*/, String.raw`\s*[-–]\s*`)}(?!\\s*(?:employees|staff))`);
      if (bare.test(original)) {
        sentences.push(original.replace(bare, (m) => `${m} employees`));
        continue;
      }
    }
    const replaced = replaceClosestWord(original, suggestion);
    if (replaced) sentences.push(replaced);
  }
  return [...new Set(sentences)].slice(0, 4);
}

/** The original sentence with its word (or two-word phrase) closest to `suggestion` replaced by it. */
function replaceClosestWord(original: string, suggestion: string): string | null {
  const words = original.split(/(\s+|[,;.!?()]+)/);
  let best: { start: number; length: number; distance: number } | null = null;
  for (let i = 0; i < words.length; i++) {
    if (!/\w/.test(words[i]!)) continue;
    for (const span of [1, 3]) {
      const phrase = words.slice(i, i + span).join("");
      if (span === 3 && (words[i + 2] === undefined || !/\w/.test(words[i + 2]!))) continue;
      const distance = editDistance(phrase.toLowerCase(), suggestion.toLowerCase());
      if (distance > Math.max(2, Math.floor(suggestion.length / 3))) continue;
      if (!best || distance < best.distance) best = { start: i, length: span, distance };
    }
  }
  if (!best) return null;
  return [...words.slice(0, best.start), suggestion, ...words.slice(best.start + best.length)].join("");
}
