// Write-back: reading the tags customers actually have in Shopify, and writing Segmint's.
// Ids and tags only (plus Shopify's own RFM group): no name, email, phone or address.

/** The inner bulk query (run by RUN_BULK_QUERY): every customer's tags and Shopify RFM group, one Customer per JSONL line. */
export function customerTagsBulkQuery(): string {
  return `#graphql
  {
    customers {
      edges { node { id tags statistics { rfmGroup } } }
    }
  }`;
}

/** The tags of a few customers (live assignment: ≤ 100 ids per request). */
export const CUSTOMER_TAGS_BY_ID = `#graphql
  query CustomerTagsById($ids: [ID!]!) {
    nodes(ids: $ids) { ... on Customer { id tags } }
  }`;

export const CUSTOMER_TAGS_ADD = `#graphql
  mutation CustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } }
  }`;

export const CUSTOMER_TAGS_REMOVE = `#graphql
  mutation CustomerTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } }
  }`;

/** The inner mutations of the bulk path: one JSONL line `{"id": …, "tags": […]}` per customer. */
export const BULK_INNER_TAGS_ADD = `#graphql
  mutation tagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } }
  }`;

export const BULK_INNER_TAGS_REMOVE = `#graphql
  mutation tagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } }
  }`;

export const STAGE_BULK_VARIABLES = `#graphql
  mutation StageBulkVariables($filename: String!) {
    stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: $filename, mimeType: "text/jsonl", httpMethod: POST }]) {
      stagedTargets { url resourceUrl parameters { name value } }
      userErrors { field message }
    }
  }`;

export const RUN_BULK_MUTATION = `#graphql
  mutation RunBulkMutation($mutation: String!, $stagedUploadPath: String!, $clientIdentifier: String) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath, clientIdentifier: $clientIdentifier) {
      bulkOperation { id status type }
      userErrors { field message code }
    }
  }`;
