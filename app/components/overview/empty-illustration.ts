// A small decorative picture for Polaris EmptyState (which always renders one): inline, so the
// offline demo fetches nothing from a CDN. Decorative: EmptyState gives it alt="".
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 226 160"><rect x="23" y="20" width="180" height="120" rx="12" fill="#f1f2f4"/><circle cx="80" cy="80" r="26" fill="#91d0ff"/><circle cx="126" cy="70" r="16" fill="#b4fed2"/><circle cx="150" cy="98" r="12" fill="#ffd6a4"/></svg>`;

export const EMPTY_ILLUSTRATION = `data:image/svg+xml,${encodeURIComponent(SVG)}`;
