// CSV for people's spreadsheets (RFC 4180), safe to open: a cell a spreadsheet would run as a formula is defused.

/**
 * One cell. A value that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice
 * and Google Sheets as a formula (OWASP "CSV Injection"), so it gets a leading `'`, which they show as text. Then a
 * cell with a comma, a quote or a line break is quoted, its quotes doubled (RFC 4180 §2.6–2.7).
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A whole file: a header row and the rows, CRLF line ends (RFC 4180 §2.1), and a UTF-8 byte order mark first, without
 * which Excel reads the file as the system's legacy code page and spoils every accented name.
 */
export function csvFile(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
