/**
 * What to call this device in a sentence ("Keep your record on this phone"): people know their phone or computer,
 * not their "device". From the user agent: a phone says "Mobile" (or is an iPhone), a tablet does not (an iPad
 * may call itself a Mac, but has touch points); anything else is a computer.
 */
export function deviceWord(
  userAgent = navigator.userAgent,
  touchPoints = navigator.maxTouchPoints ?? 0,
): 'phone' | 'tablet' | 'computer' {
  if (
    /iPhone|iPod|Windows Phone|Android.*Mobile|Mobile.*Firefox|\bMobi/.test(userAgent) &&
    !/iPad|Tablet/.test(userAgent)
  )
    return 'phone';
  if (/iPad|Tablet|Android/.test(userAgent) || (/Macintosh/.test(userAgent) && touchPoints > 1)) return 'tablet';
  return 'computer';
}
