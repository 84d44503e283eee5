const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A tagged template whose interpolations are escaped unless they are already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = string | number | Html | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Builds HTML, escaping every interpolated value. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < parts.length ? render(parts[i]) : ''), ''));
}

/** A whole page in the shared layout. */
export function page(title: string, body: Html, lang: 'fa' | 'en' = 'en'): string {
  return `<!doctype html>\n${html`<html lang="${lang}" dir="${lang === 'fa' ? 'rtl' : 'ltr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body { font-family: "Vazirmatn", "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; line-height: 1.6; color: #1b1b1b; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; }
@media (max-width: 50rem) { .pair { grid-template-columns: 1fr; } }
.missing { color: #8a5a00; font-style: italic; }
dt { font-weight: bold; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
</style>
</head>
<body>
${body}
</body>
</html>`.value}\n`;
}
