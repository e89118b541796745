/**
 * Just enough HTML form reading for a login or consent page (k6/html exists but parses with a Go
 * DOM the adapter cannot offer, and a regex over one page's forms is all this needs).
 */

export interface HtmlForm {
  action: string;
  method: string;
  fields: Array<{ name: string; value: string; type: string }>;
}

const FORM = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
const INPUT = /<(input|button)\b([^>]*)>/gi;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCharCode(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attributes(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of text.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!(name in result)) result[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return result;
}

export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of String(html ?? '').matchAll(FORM)) {
    const attrs = attributes(match[1] ?? '');
    const fields: HtmlForm['fields'] = [];
    for (const input of (match[2] ?? '').matchAll(INPUT)) {
      const a = attributes(input[2] ?? '');
      if (!a.name) continue;
      const type = (a.type ?? (input[1]?.toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase();
      // Submit buttons only count when they carry a name/value the server reads; keep the first.
      if ((type === 'submit' || type === 'button') && fields.some((f) => f.type === 'submit')) continue;
      fields.push({ name: a.name, value: a.value ?? '', type });
    }
    forms.push({ action: attrs.action ?? '', method: (attrs.method ?? 'get').toLowerCase(), fields });
  }
  return forms;
}

export function isLoginForm(form: HtmlForm, passwordField: string): boolean {
  return form.fields.some((f) => f.type === 'password' || f.name === passwordField);
}
