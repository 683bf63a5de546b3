// Shopify customer segments kept for Segmint's segments (`customer_tags CONTAINS '<tag>'`).

export const SEGMENT_CREATE = `#graphql
  mutation SegmintSegmentCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }`;

export const SEGMENT_UPDATE = `#graphql
  mutation SegmintSegmentUpdate($id: ID!, $name: String, $query: String) {
    segmentUpdate(id: $id, name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }`;

export const SEGMENT_DELETE = `#graphql
  mutation SegmintSegmentDelete($id: ID!) {
    segmentDelete(id: $id) {
      deletedSegmentId
      userErrors { field message }
    }
  }`;
