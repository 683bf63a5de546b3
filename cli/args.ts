import { SEGMENT_DEFAULTS, type SegmentAlgorithm } from "../app/analytics/index";
import { EXPERIMENT_METRICS, type ExperimentMetric } from "../app/domain/experiment";
import type { ColumnOverrides } from "./csv/columns";

/** Default seed of the CLI: fixed so that two runs on the same file give the same segments. */
export const DEFAULT_SEED = 42;

export class UsageError extends Error {}

export interface SegmentCommand {
  readonly command: "segment";
  readonly file: string;
  readonly asOf: string | null;
  readonly algorithm: SegmentAlgorithm;
  readonly k: "auto" | number;
  readonly eps: "auto" | number;
  readonly minPoints: number | null;
  readonly seed: number;
  readonly out: string;
  readonly report: string | null;
  readonly modelOut: string | null;
  readonly previousModel: string | null;
  readonly columns: ColumnOverrides;
  readonly dateOrder: "mdy" | "dmy";
  readonly currency: string;
  readonly maxErrors: number;
  readonly quiet: boolean;
}

/** `segmint experiment analyze <customers.csv>`: one look at a holdout experiment's results. */
export interface ExperimentAnalyzeCommand {
  readonly command: "experiment-analyze";
  readonly file: string;
  readonly metric: ExperimentMetric;
  readonly json: boolean;
  /** The planned control share, for the sample-ratio test. */
  readonly controlShare: number;
  readonly alpha: number;
  /** false = --no-cuped; true = CUPED when the file has a pre column. */
  readonly cuped: boolean;
  /** --planned-se: the always-valid interval tuned at this standard error; null = fixed horizon. */
  readonly plannedStandardError: number | null;
  /** --outcome-cap: a pre-registered cap on each customer's outcome (winsorising); null = none. */
  readonly outcomeCap: number | null;
  readonly maxErrors: number;
  readonly quiet: boolean;
}

/** `segmint anomalies <transactions.csv> --out <orders.csv>`: order, customer and store-day anomalies. */
export interface AnomaliesCommand {
  readonly command: "anomalies";
  readonly file: string;
  /** Per-order CSV (order_id, customer_id, score, flagged, reasons). */
  readonly out: string;
  /** Per-customer CSV (customer_id, score, kind, reasons); null = not written. */
  readonly customersOut: string | null;
  readonly seed: number;
  /** Share of orders flagged for review (0 < budget ≤ 1). */
  readonly budget: number;
  /** Flagged orders listed in the summary. */
  readonly top: number;
  readonly columns: ColumnOverrides;
  /** Header of the product-name column; null = auto-detected (Description, title, …). */
  readonly descriptionColumn: string | null;
  readonly dateOrder: "mdy" | "dmy";
  readonly currency: string;
  readonly maxErrors: number;
  readonly quiet: boolean;
}

/** Default review budget: 1 % of orders. */
export const DEFAULT_ANOMALY_BUDGET = 0.01;

export type Command = SegmentCommand | ExperimentAnalyzeCommand | AnomaliesCommand | { readonly command: "help" } | { readonly command: "version" };

export const HELP = `segmint — customer segments (RFM, K-means, DBSCAN, hybrid) from an order CSV,
order, customer and store-day anomalies from the same CSV, and the results of a holdout
experiment from a per-customer CSV

Usage
  segmint segment <file.csv | file.csv.gz> [options]
  segmint anomalies <file.csv | file.csv.gz> --out <orders.csv> [--customers-out <customers.csv>] [options]
  segmint experiment analyze <customers.csv | customers.csv.gz> [--metric revenue] [--json] [options]
  segmint recommend <file.csv | file.csv.gz> --until YYYY-MM-DD --queries <queries.jsonl> --out <recs.jsonl> [--limit 10]
  segmint --help | --version
  (from a checkout: npx segmint …  or  npm run segmint -- …)

Input
  A line-level CSV (one row per order line: customer, order, date, quantity, unit price) or an
  order-level CSV (one row per order: customer, order, date, amount), plain or gzip (detected by
  content), streamed. Header names are matched ignoring case, spaces and punctuation:
    customer  CustomerID, Customer ID, customer_id, customer, client_id
    order     InvoiceNo, Invoice, order_id, order, order_number
    date      InvoiceDate, order_date, date, processed_at, created_at
    quantity  Quantity, qty            price   UnitPrice, Price
    amount    Amount, amount, total    product StockCode, product_id, sku (optional)
  Quantity and price win over amount when both are present. Dates: YYYY-MM-DD[ time] taken as
  written (a zone offset is not applied), or M/D/YYYY (see --date-order). Money: decimals with at
  most 3 places, kept exact. Rows without a customer are guests: not in RFM.
  A return is a negative quantity/amount or an order id starting with "C": it lowers monetary,
  never counts as an order and never changes recency.

Options (segment)
  --as-of YYYY-MM-DD     measure recency to this day; later rows are ignored
                         (default: the day after the last date in the file)
  --algorithm A          hybrid | rfm | kmeans | dbscan (default ${SEGMENT_DEFAULTS.algorithm}: spend tiers,
                         then recency/frequency within each)
  --k auto|N             clusters (default auto: elbow + silhouette rule); hybrid: per tier
  --eps auto|X           DBSCAN radius in scaled units (default auto: k-distance knee)
  --min-points N         DBSCAN minPoints (default 6 = 2 × 3 features)
  --seed N               random seed (default ${DEFAULT_SEED}); same seed + file = same output
  --out FILE             per-customer CSV (default segments.csv)
  --report FILE          self-contained HTML report (plots + segment profiles)
  --model-out FILE       write the fitted model as JSON (for later runs)
  --previous-model FILE  previous model JSON: keep segment ids/names, apply hysteresis
  --customer-column NAME, --order-column NAME, --date-column NAME, --quantity-column NAME,
  --price-column NAME, --amount-column NAME, --product-column NAME
                         use this header instead of auto-detection
  --date-order mdy|dmy   how to read a/b/YYYY dates (default mdy)
  --currency SYMBOL      prefix amounts in sentences, e.g. £ (default none)
  --max-errors N         malformed rows listed on stderr (default 10; all are counted)
  --quiet                no progress output
  -h, --help             this text

Output CSV columns
  customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,rfm_group,cluster,segment,outlier,explanation
  monetary is exact net spend (e.g. 1234.56); recency_days and scores are empty for customers
  without a purchase (rfm_group Prospects); cluster is the algorithm's label (-1 = DBSCAN noise,
  empty = not clustered); segment is the stable segment name; outlier is true/false.

segmint anomalies
  Reads the same CSVs as segment (same header names, column and date options, returns) and
  scores every order: higher = more anomalous. The top --budget share (default 1 %: the
  ceiling of 1 % of the orders) is flagged for review. Each flag names its reasons in plain
  words with the numbers ("74,215 × MEDIUM CERAMIC TOP STORAGE JAR is 6,185× this product's
  median quantity of 12"). Customers are scored too: whale (high value, healthy pattern: a VIP
  candidate), review (heavy returns, bursts, price-error buys) or normal; store days whose
  order count or revenue is far outside the same weekday's usual range are listed.
  A return (a C… invoice, a negative quantity or amount) is attributed to the customer's most
  recent earlier order holding the product (else the most recent earlier order): it raises that
  order's refunded share, and an order returned in full counts as cancelled.
  --out FILE             per-order CSV: order_id,customer_id,score,flagged,reasons (required)
  --customers-out FILE   per-customer CSV: customer_id,score,kind,reasons
  --budget X             share of orders flagged, 0 < X ≤ 1 (default ${DEFAULT_ANOMALY_BUDGET})
  --seed N               random seed of the isolation forest (default ${DEFAULT_SEED})
  --top N                flagged orders listed in the summary (default 10)
  --description-column NAME
                         product names for the reasons (default: Description, title, …)
  --currency, --date-order, --max-errors, --quiet and the --…-column options: as for segment

segmint experiment analyze
  Compares a campaign's treatment group with its holdout (control) group, customer by customer:
  the lift in the metric per customer with its interval and p-value, CUPED (the pre-period value
  as covariate, Deng et al. 2013) and the variance it removed, the incremental total (lift ×
  treated customers), a sample-ratio-mismatch check (chi-squared against --control-share) and a
  plain-language verdict. One look: the fixed-horizon interval, valid when the file holds the
  experiment's whole horizon (--planned-se asks for the always-valid interval instead).
  Input: plain or gzip CSV, one row per customer, header names matched like segment's:
    customer_id  (CustomerID, customer)      arm      treatment | control (any case)
    outcome      the metric over the experiment's window
    pre          optional: the same metric over the period before (CUPED's covariate)
  Every row is checked: a missing or duplicated customer_id, an unknown arm, an outcome that is
  not a number (for --metric conversion: not 0 or 1; for orders: negative or fractional), a
  missing or non-numeric pre when the column exists, or a wrong number of fields. If any row is
  bad the rows are listed (file:LINE: reason) and nothing is analysed (exit 3): dropping them
  would analyse part of the cohort, and which customers drop out can bias the comparison.
  --metric M             revenue | conversion | orders (default revenue): what outcome holds
  --json                 print one JSON object instead of the text summary: n_treatment,
                         n_control, lift_per_customer, ci_low, ci_high, p_value, method,
                         variance_reduction, incremental_total, incremental_ci_low,
                         incremental_ci_high, srm_p_value, and more (docs/analytics.md §9)
  --control-share X      planned share of the cohort in control, 0 < X < 1 (default 0.5)
  --alpha X              two-sided level, 0 < X ≤ 0.5 (default 0.05: 95 % intervals)
  --no-cuped             the plain difference in means even when there is a pre column
  --planned-se X         always-valid interval (confidence sequence) tuned at this planned
                         standard error per customer, for a look before the horizon
  --outcome-cap X        count outcomes above X as X (winsorising heavy tails); X must be
                         fixed before the experiment (e.g. a pre-period quantile), never
                         chosen from its results; the lift is then in the capped metric
  --max-errors N         bad rows listed on stderr (default 10; all are counted)
  --quiet                no progress output

Exit codes
  0 success   1 unexpected error   2 usage error (bad flag or value)
  3 input error (file unreadable, required columns missing, no valid rows; experiment: any bad
    row, an arm with too few customers)
`;

const COLUMN_FLAGS: Record<string, keyof ColumnOverrides> = {
  "--customer-column": "customer",
  "--order-column": "order",
  "--date-column": "date",
  "--quantity-column": "quantity",
  "--price-column": "price",
  "--amount-column": "amount",
  "--product-column": "product",
};

function dateOrderArg(v: string): "mdy" | "dmy" {
  if (v !== "mdy" && v !== "dmy") throw new UsageError(`--date-order must be mdy or dmy, got ${JSON.stringify(v)}`);
  return v;
}

/** A `--…-column NAME` override added to `columns`; any other flag is unknown to the verb. */
function columnFlag(columns: ColumnOverrides, flag: string, value: () => string, verb: string): ColumnOverrides {
  const role = COLUMN_FLAGS[flag];
  if (role === undefined) throw new UsageError(`unknown option ${flag}${verb}`); // main adds "(see segmint --help)"
  return { ...columns, [role]: value() };
}

/** How the verbs that read a transactions CSV (`segment`, `anomalies`, `recommend`) read it: date order, bad rows listed, column overrides. */
export interface CsvReadingOptions {
  dateOrder: "mdy" | "dmy";
  maxErrors: number;
  columns: ColumnOverrides;
}

/**
 * One of the CSV-reading flags those verbs share (`verb` as in " for anomalies", for the unknown
 * option's message); any other flag is unknown to the verb.
 */
export function csvReadingFlag(o: CsvReadingOptions, flag: string, value: () => string, verb: string): void {
  switch (flag) {
    case "--date-order":
      o.dateOrder = dateOrderArg(value());
      break;
    case "--max-errors":
      o.maxErrors = intArg("--max-errors", value(), 0);
      break;
    default:
      o.columns = columnFlag(o.columns, flag, value, verb);
  }
}

/** The CSV-reading flags and --currency (amounts in sentences), for `segment` and `anomalies`. */
function moneyCsvReadingFlag(o: CsvReadingOptions & { currency: string }, flag: string, value: () => string, verb: string): void {
  if (flag === "--currency") o.currency = value();
  else csvReadingFlag(o, flag, value, verb);
}

function intArg(flag: string, v: string, min: number): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} must be an integer, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min) throw new UsageError(`${flag} must be ≥ ${min}, got ${n}`);
  return n;
}

function numberArg(flag: string, v: string, ok: (n: number) => boolean, range: string): number {
  const n = Number(v);
  if (!(v.trim() !== "" && Number.isFinite(n) && ok(n))) throw new UsageError(`${flag} must be a number ${range}, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * A verb's arguments after the verb: the one input file, and each option as `--flag value` or
 * `--flag=value` (`inline`), handed to `onFlag` with `value()` to take its value. Returns the file,
 * or null when none was given.
 */
export function walkArguments(argv: readonly string[], onFlag: (flag: string, value: () => string, inline: boolean) => void): string | null {
  let file: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (!raw.startsWith("--")) {
      if (file !== null) throw new UsageError(`unexpected argument ${JSON.stringify(raw)} (only one input file)`);
      file = raw;
      continue;
    }
    const eq = raw.indexOf("=");
    const flag = eq >= 0 ? raw.slice(0, eq) : raw;
    onFlag(
      flag,
      () => {
        if (eq >= 0) return raw.slice(eq + 1);
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`${flag} needs a value`);
        return v;
      },
      eq >= 0,
    );
  }
  return file;
}

export function parseArgs(argv: readonly string[]): Command {
  if (argv.length === 0) throw new UsageError("missing command: try `segmint segment <file.csv>`, `segmint anomalies <file.csv> --out <orders.csv>`, `segmint experiment analyze <customers.csv>`, `segmint recommend <file.csv> --until YYYY-MM-DD --queries <q.jsonl> --out <recs.jsonl>` or `segmint --help`");
  if (argv.includes("-h") || argv.includes("--help") || argv[0] === "help") return { command: "help" };
  if (argv[0] === "--version" || argv[0] === "-v") return { command: "version" };
  if (argv[0] === "experiment") return parseExperimentArgs(argv.slice(1));
  if (argv[0] === "anomalies") return parseAnomaliesArgs(argv.slice(1));
  if (argv[0] !== "segment") throw new UsageError(`unknown command ${JSON.stringify(argv[0])}: the commands are \`segment\`, \`anomalies\`, \`experiment analyze\` and \`recommend\``);
  const o = {
    asOf: null as string | null,
    algorithm: SEGMENT_DEFAULTS.algorithm,
    k: "auto" as "auto" | number,
    eps: "auto" as "auto" | number,
    minPoints: null as number | null,
    seed: DEFAULT_SEED,
    out: "segments.csv",
    report: null as string | null,
    modelOut: null as string | null,
    previousModel: null as string | null,
    columns: {} as ColumnOverrides,
    dateOrder: "mdy" as "mdy" | "dmy",
    currency: "",
    maxErrors: 10,
    quiet: false,
  };
  const file = walkArguments(argv.slice(1), (flag, value) => {
    if (flag === "--quiet") {
      o.quiet = true;
      return;
    }
    switch (flag) {
      case "--as-of": {
        const v = value();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new UsageError(`--as-of must be YYYY-MM-DD, got ${JSON.stringify(v)}`);
        o.asOf = v;
        break;
      }
      case "--algorithm": {
        const v = value();
        if (v !== "rfm" && v !== "kmeans" && v !== "dbscan" && v !== "hybrid") throw new UsageError(`--algorithm must be rfm, kmeans, dbscan or hybrid, got ${JSON.stringify(v)}`);
        o.algorithm = v;
        break;
      }
      case "--k": {
        const v = value();
        o.k = v === "auto" ? "auto" : intArg("--k", v, 1);
        break;
      }
      case "--eps": {
        const v = value();
        if (v === "auto") o.eps = "auto";
        else {
          const n = Number(v);
          if (!(v.trim() !== "" && Number.isFinite(n) && n > 0)) throw new UsageError(`--eps must be auto or a positive number, got ${JSON.stringify(v)}`);
          o.eps = n;
        }
        break;
      }
      case "--min-points":
        o.minPoints = intArg("--min-points", value(), 2);
        break;
      case "--seed":
        o.seed = intArg("--seed", value(), 0);
        break;
      case "--out":
        o.out = value();
        break;
      case "--report":
        o.report = value();
        break;
      case "--model-out":
        o.modelOut = value();
        break;
      case "--previous-model":
        o.previousModel = value();
        break;
      default:
        moneyCsvReadingFlag(o, flag, value, "");
    }
  });
  if (file === null) throw new UsageError("missing input file: segmint segment <file.csv|file.csv.gz>");
  return { command: "segment", file, ...o };
}

function parseExperimentArgs(argv: readonly string[]): ExperimentAnalyzeCommand {
  if (argv[0] !== "analyze") {
    throw new UsageError(argv[0] === undefined ? "missing subcommand: segmint experiment analyze <customers.csv>" : `unknown subcommand ${JSON.stringify(argv[0])}: segmint experiment analyze <customers.csv>`);
  }
  const o = {
    metric: "revenue" as ExperimentMetric,
    json: false,
    controlShare: 0.5,
    alpha: 0.05,
    cuped: true,
    plannedStandardError: null as number | null,
    outcomeCap: null as number | null,
    maxErrors: 10,
    quiet: false,
  };
  const file = walkArguments(argv.slice(1), (flag, value, inline) => {
    if (inline && (flag === "--json" || flag === "--quiet" || flag === "--no-cuped")) throw new UsageError(`${flag} takes no value`);
    switch (flag) {
      case "--json":
        o.json = true;
        break;
      case "--quiet":
        o.quiet = true;
        break;
      case "--no-cuped":
        o.cuped = false;
        break;
      case "--metric": {
        const v = value();
        if (!(EXPERIMENT_METRICS as readonly string[]).includes(v)) throw new UsageError(`--metric must be ${EXPERIMENT_METRICS.join(", ")}, got ${JSON.stringify(v)}`);
        o.metric = v as ExperimentMetric;
        break;
      }
      case "--control-share":
        o.controlShare = numberArg("--control-share", value(), (n) => n > 0 && n < 1, "between 0 and 1 (e.g. 0.1 for 10 %)");
        break;
      case "--alpha":
        o.alpha = numberArg("--alpha", value(), (n) => n > 0 && n <= 0.5, "above 0 and at most 0.5");
        break;
      case "--planned-se":
        o.plannedStandardError = numberArg("--planned-se", value(), (n) => n > 0, "above 0");
        break;
      case "--outcome-cap":
        o.outcomeCap = numberArg("--outcome-cap", value(), (n) => n > 0, "above 0");
        break;
      case "--max-errors":
        o.maxErrors = intArg("--max-errors", value(), 0);
        break;
      default:
        throw new UsageError(`unknown option ${flag} for experiment analyze (see segmint --help)`);
    }
  });
  if (file === null) throw new UsageError("missing input file: segmint experiment analyze <customers.csv>");
  return { command: "experiment-analyze", file, ...o };
}

function parseAnomaliesArgs(argv: readonly string[]): AnomaliesCommand {
  const o = {
    out: null as string | null,
    customersOut: null as string | null,
    seed: DEFAULT_SEED,
    budget: DEFAULT_ANOMALY_BUDGET,
    top: 10,
    columns: {} as ColumnOverrides,
    descriptionColumn: null as string | null,
    dateOrder: "mdy" as "mdy" | "dmy",
    currency: "",
    maxErrors: 10,
    quiet: false,
  };
  const file = walkArguments(argv, (flag, value, inline) => {
    if (flag === "--quiet") {
      if (inline) throw new UsageError("--quiet takes no value");
      o.quiet = true;
      return;
    }
    switch (flag) {
      case "--out":
        o.out = value();
        break;
      case "--customers-out":
        o.customersOut = value();
        break;
      case "--seed":
        o.seed = intArg("--seed", value(), 0);
        break;
      case "--budget":
        o.budget = numberArg("--budget", value(), (n) => n > 0 && n <= 1, "above 0 and at most 1 (e.g. 0.01 for 1 % of orders)");
        break;
      case "--top":
        o.top = intArg("--top", value(), 0);
        break;
      case "--description-column":
        o.descriptionColumn = value();
        break;
      default:
        moneyCsvReadingFlag(o, flag, value, " for anomalies");
    }
  });
  if (file === null) throw new UsageError("missing input file: segmint anomalies <file.csv|file.csv.gz> --out <orders.csv>");
  if (o.out === null) throw new UsageError("missing --out <orders.csv>: where to write one row per order (order_id, customer_id, score, flagged, reasons)");
  if (o.customersOut !== null && o.customersOut === o.out) throw new UsageError("--customers-out must be another file than --out");
  return { command: "anomalies", file, ...o, out: o.out };
}
