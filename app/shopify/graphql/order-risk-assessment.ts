// An order risk assessment from Segmint's anomaly detection (docs/anomalies.md, "In Shopify").
// Needs the optional `write_orders` scope; Shopify keeps at most 20 facts per assessment.

export const ORDER_RISK_ASSESSMENT_CREATE = `#graphql
  mutation SegmintOrderRiskAssessmentCreate($input: OrderRiskAssessmentCreateInput!) {
    orderRiskAssessmentCreate(orderRiskAssessmentInput: $input) {
      orderRiskAssessment { riskLevel }
      userErrors { field message code }
    }
  }`;
