/**
 * Date formatters of the device's locale, made once per set of options. Making one is slow (V8 builds its
 * patterns each time; the first in a page also loads the locale's data, tens of milliseconds), and a record
 * list formats hundreds of dates.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

export function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(undefined, options)));
  return format;
}

/** Makes the formats the record views use while the page is idle, so no later task (a sync, an unlock) pays for it. */
export function warmDateFormats(): void {
  const warm = () => {
    dateFormat({ dateStyle: 'medium' }).format(0);
    dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(0);
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(warm, { timeout: 3000 });
  else setTimeout(warm, 0);
}
