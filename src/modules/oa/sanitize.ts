// The body of a document: plain text or a small subset of HTML (paragraphs, line breaks, emphasis, lists, headings).
// Every other tag, every attribute (on*, style, href), comments and script/style content are removed, and stray
// markup characters are escaped, so the console may render the stored body as HTML.

const ALLOWED = new Set(['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'ol', 'ul', 'li', 'h3', 'h4', 'blockquote']);
const DROP_WITH_CONTENT = /<(script|style|iframe|object|embed|template|textarea|noscript)\b[^>]*>[\s\S]*?(<\/\1\s*>|$)/gi;
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g;
const ENTITY = /^&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/;

function escapeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (c === '"') out += '&quot;';
    else if (c === '&') out += ENTITY.test(text.slice(i, i + 40)) ? '&' : '&amp;';
    else out += c;
  }
  return out;
}

/** The body as it is stored and shown: allowed tags without attributes, everything else as text or removed. */
export function sanitizeBody(input: string): string {
  const text = input.replace(/<!--[\s\S]*?(-->|$)/g, '').replace(DROP_WITH_CONTENT, '');
  let out = '';
  let last = 0;
  for (const m of text.matchAll(TAG)) {
    out += escapeText(text.slice(last, m.index));
    last = m.index + m[0].length;
    const name = m[2]!.toLowerCase();
    if (!ALLOWED.has(name)) continue;
    if (name === 'br') out += m[1] ? '' : '<br>';
    else out += m[1] ? `</${name}>` : `<${name}>`;
  }
  return (out + escapeText(text.slice(last))).trim();
}
