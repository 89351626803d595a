// Values inside the JUnit report's XML: escaped for text and for double-quoted attributes. XML 1.0
// forbids most C0 controls, U+FFFE, U+FFFF and unpaired surrogates even as character references, so
// those become U+FFFD: a title from an advisory must not make the whole report unreadable.

// eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const xmlText = (value: string): string =>
  value.replace(FORBIDDEN, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');

/** Also quotes and whitespace: a parser would fold a raw newline or tab in an attribute into a space. */
export const xmlAttribute = (value: string): string => xmlText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
