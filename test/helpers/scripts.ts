/** `type` values a browser runs as script (HTML's JavaScript MIME types, `module`, or no type). */
const SCRIPT_TYPES = /^(|module|(text|application)\/(x-)?(javascript|ecmascript)|text\/(jscript|livescript))$/i;

/**
 * Everything in `html` a browser would run, each as its first 100 characters: `<script>` tags of a
 * script type (a `type="application/ld+json"` block is data), inline event handlers (`onclick=`)
 * and `javascript:` URLs.
 */
export function scriptsIn(html: string): string[] {
  const found: string[] = [];
  const excerpt = (index: number) => html.slice(index, index + 100);
  for (const match of html.matchAll(/<script\b([^>]*)>/gi)) {
    const type = /\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(match[1] ?? '');
    if (SCRIPT_TYPES.test((type?.[1] ?? type?.[2] ?? type?.[3] ?? '').trim())) found.push(excerpt(match.index));
  }
  // Outside <script> blocks only: their JSON may quote anything.
  const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, (block) => ' '.repeat(block.length));
  for (const match of markup.matchAll(/<[a-z][^>]*?\son[a-z]+\s*=/gi)) found.push(excerpt(match.index));
  for (const match of markup.matchAll(/<[a-z][^>]*?\s(href|src|action|formaction)\s*=\s*["']?\s*javascript:/gi))
    found.push(excerpt(match.index));
  return found;
}
