// The newest completed run's diagnostics: elbow and silhouette curves (chosen K marked), the
// k-distance curve (eps marked, DBSCAN runs), and the PCA scatter coloured by segment. Each panel
// that a run has no data for says why instead.
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { PlotData, SegmentDiagnostics } from "../../analytics/index";
import { LineChart, ScatterChart } from "../charts";
import { formatCount } from "../format";
import { algorithmLabel, kCurvesView, kDistanceView, pcaView } from "./model-charts-data";

export interface LatestRunChartsProps {
  readonly run: {
    readonly id: number;
    readonly algorithm: string;
    readonly diagnostics: SegmentDiagnostics | null;
    readonly plots: PlotData;
    readonly segmentNames: readonly string[];
  };
}

const twoDecimals = (v: number) => v.toFixed(2);
const integer = (v: number) => formatCount(Math.round(v));

function Absent({ testId, children }: { testId: string; children: string }) {
  return (
    <div data-testid={testId}>
      <Text as="p" tone="subdued">
        {children}
      </Text>
    </div>
  );
}

export function ModelCharts({ run }: LatestRunChartsProps) {
  const curves = kCurvesView(run.algorithm, run.plots, run.diagnostics);
  const kDistance = kDistanceView(run.algorithm, run.plots);
  const pca = pcaView(run.plots, run.segmentNames);
  const markerWords = curves.marker ? `; K = ${curves.marker.x} is marked` : "";
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            How K was chosen (run #{run.id}, {algorithmLabel(run.algorithm)})
          </Text>
          <div data-testid="model-k-explanation">
            <Text as="p">{curves.explanation}</Text>
          </div>
          {curves.absent ? (
            <Absent testId="model-k-curves-absent">{curves.absent}</Absent>
          ) : (
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <LineChart
                title="Elbow curve"
                summary={`Inertia (how spread out customers are around their group centres) for each K; it always falls as K grows, and the bend shows where more groups stop helping${markerWords}.`}
                xLabel="K (number of groups)"
                yLabel="Inertia"
                points={curves.elbow}
                marker={curves.marker}
                formatX={integer}
                testId="chart-elbow"
              />
              <LineChart
                title="Silhouette curve"
                summary={`Silhouette for each K, from −1 to 1: higher means customers sit clearly closer to their own group than to the next${markerWords}.`}
                xLabel="K (number of groups)"
                yLabel="Silhouette"
                points={curves.silhouette}
                marker={curves.marker}
                formatX={integer}
                formatY={twoDecimals}
                testId="chart-silhouette"
              />
            </InlineGrid>
          )}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            DBSCAN radius (k-distance curve)
          </Text>
          {"absent" in kDistance ? (
            <Absent testId="model-k-distance-absent">{kDistance.absent}</Absent>
          ) : (
            <LineChart
              title="k-distance curve"
              summary={kDistance.summary}
              xLabel="Customers, sorted by distance"
              yLabel="Distance to neighbour (scaled)"
              points={kDistance.points}
              marker={kDistance.marker}
              formatX={integer}
              formatY={twoDecimals}
              testId="chart-k-distance"
            />
          )}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Segments on a map (PCA)
          </Text>
          {"absent" in pca ? (
            <Absent testId="model-pca-absent">{pca.absent}</Absent>
          ) : (
            <BlockStack gap="200">
              <ScatterChart
                title="Customers by segment (PCA)"
                summary={pca.summary}
                xLabel="First principal component"
                yLabel="Second principal component"
                points={pca.points}
                centres={pca.centres}
                seriesNames={pca.seriesNames}
                testId="chart-pca"
              />
              <div data-testid="model-pca-caption">
                <Text as="p" tone="subdued">
                  {pca.caption}
                </Text>
              </div>
            </BlockStack>
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
