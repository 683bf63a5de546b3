// The algorithms a merchant can choose on the Model page, each with one plain sentence, and the
// K choices (Automatic, or 2–12). Pure.
export const ALGORITHM_CHOICES = [
  { value: "hybrid", label: "Hybrid (recommended)", explanation: "Splits customers into spend tiers (top 20 %, next 30 %, the rest), then groups each tier by how recently and how often they buy." },
  { value: "rfm", label: "RFM groups", explanation: "Scores recency, frequency and spend from 1 to 5 and uses Shopify's 11 named groups (Champions, At risk, …); no clustering." },
  { value: "kmeans", label: "K-means", explanation: "Finds K groups of customers with similar recency, frequency and spend; each customer joins the nearest group centre." },
  { value: "dbscan", label: "DBSCAN", explanation: "Finds dense groups of similar customers by itself and sets apart the unusual ones (big spenders become whales, the rest outliers)." },
] as const;

export const K_MIN = 2;
export const K_MAX = 12;

export const K_OPTIONS = [
  { label: "Automatic (silhouette + elbow)", value: "auto" },
  ...Array.from({ length: K_MAX - K_MIN + 1 }, (_, i) => ({ label: String(K_MIN + i), value: String(K_MIN + i) })),
];

export function usesK(algorithm: string): boolean {
  return algorithm === "kmeans" || algorithm === "hybrid";
}

export function explanationOf(algorithm: string): string {
  return ALGORITHM_CHOICES.find((a) => a.value === algorithm)?.explanation ?? "";
}
