/**
 * Persian ordinal words as journals print a volume (`سال یازدهم`, `دوره بیست و یکم`).
 */
import { collapseWhitespace, toPersianLetters } from './normalize.js';

const UNITS: Readonly<Record<string, number>> = {
  یک: 1, دو: 2, سه: 3, چهار: 4, پنج: 5, شش: 6, هفت: 7, هشت: 8, نه: 9,
  ده: 10, یازده: 11, دوازده: 12, سیزده: 13, چهارده: 14, پانزده: 15, شانزده: 16, هفده: 17, هجده: 18, هیجده: 18, نوزده: 19,
};
const TENS: Readonly<Record<string, number>> = { بیست: 20, سی: 30, چهل: 40, پنجاه: 50, شصت: 60, هفتاد: 70, هشتاد: 80, نود: 90 };
const HUNDREDS: Readonly<Record<string, number>> = { صد: 100, یکصد: 100, دویست: 200, سیصد: 300 };
/** Ordinals whose stem is not the cardinal plus `م`. */
const IRREGULAR: Readonly<Record<string, number>> = { اول: 1, یکم: 1, نخست: 1, دوم: 2, سوم: 3, سی‌ام: 30, سیام: 30 };

const cardinal = (word: string): number | undefined => UNITS[word] ?? TENS[word] ?? HUNDREDS[word];

/** The cardinal that an ordinal word is made from: `یازدهم` → 11, `سی‌ام` → 30. */
function ordinalWord(word: string): number | undefined {
  const irregular = IRREGULAR[word];
  if (irregular !== undefined) return irregular;
  const stem = /^(.+?)(?:\u200c?ام|م)$/u.exec(word)?.[1];
  return stem === undefined ? undefined : cardinal(stem);
}

/**
 * The number a Persian ordinal stands for, `یازدهم` → 11, `بیست و یکم` → 21, `صد و دوم` → 102;
 * ASCII digits are taken as they are. Returns null for anything else.
 */
export function parsePersianOrdinal(text: string): number | null {
  const t = collapseWhitespace(toPersianLetters(text));
  if (/^\d+$/u.test(t)) return Number(t);
  const words = t.split(/\s+و\s+/u);
  const last = words.pop();
  if (last === undefined) return null;
  const end = ordinalWord(last);
  if (end === undefined) return null;
  let total = end;
  for (const w of words) {
    const value = cardinal(w);
    if (value === undefined) return null;
    total += value;
  }
  return total;
}
