// The merchant's tag prefix: Segmint's tags are `<prefix>:<segment>` (domain/tags.ts), so the
// prefix may not contain a colon, a comma (Shopify's tag separator) or spaces. Pure.

export const TAG_PREFIX_MAX_LENGTH = 20;

/** 1–20 letters, digits, dashes or underscores. */
export const TAG_PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,20}$/;

export function isValidTagPrefix(prefix: string): boolean {
  return TAG_PREFIX_PATTERN.test(prefix);
}
