// Text from servers and settings (model ids, error messages, profile names, endpoints)
// shown inside this extension's markdown (the status bar tooltip): escaped, so it renders
// as the characters it is and never as a link, an image, a table cell or an icon.

/**
 * Link, image, emphasis and code punctuation, HTML brackets and entities, table pipes,
 * `$(icon)` and the `:` of URLs (no autolink) escaped; line breaks become spaces (no new
 * block can start). `.`, `-` and `+` stay: escaped text never starts a line here.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_{}[\]()#!|<>~$&:]/g, '\\$&');
}

/**
 * Notifications render `[label](command:…)` and `[label](https:…)` as working links (no
 * escapes exist there): a space between `]` and `(` leaves the text readable and inert.
 */
export function inertLinks(text: string): string {
  return text.replace(/\]\s*\(/g, '] (');
}
