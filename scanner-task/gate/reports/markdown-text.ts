// Values (package names, versions, titles, reasons) inside GitHub-flavoured Markdown: they come from
// advisories and policy files, so they must read as text, never as a table cell break, emphasis,
// code, a link or raw HTML. One line each: a newline would end a table row.

/**
 * The characters that open something inline in GFM: a table cell break, emphasis, code, a link (and
 * so an image), strikethrough, raw HTML or an entity. A backslash makes each literal.
 */
const SPECIAL = /[\\`*_[\]<>|~&]/g;

export function mdText(value: string, maxLength = 200): string {
  const line = value.replace(/\s+/g, ' ').trim();
  const short = line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
  return short.replace(SPECIAL, '\\$&');
}

/** A link when the reference is an http(s) URL, else the text alone: other schemes are not for clicking. */
export function mdLink(text: string, url: string | undefined): string {
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url) || url.length > 2048) return mdText(text);
  // Parentheses, angle brackets and pipes would end the destination or the table cell.
  const destination = url.replace(/[()<>|\\`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${mdText(text)}](${destination})`;
}
