export const BULK_OPERATION_STATUS = `#graphql
  query BulkOperationStatus($id: ID!) {
    bulkOperation(id: $id) {
      id status type errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl
    }
  }`;
