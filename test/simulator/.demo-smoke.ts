import { startSimulatorServer } from "./server.ts";
import { APPENDIX_A } from "./appendix-a.ts";
const server = await startSimulatorServer({ onlineRetail: true, webhooks: { transport: async () => new Response(null, { status: 200 }) } });
const D = "online-retail.myshopify.com"; const token = server.simulator.accessToken(D);
const gql = async (query: string, variables = {}) => (await server.fetch(`https://${D}/admin/api/2026-10/graphql.json`, { method: "POST", headers: { "content-type": "application/json", "x-shopify-access-token": token }, body: JSON.stringify({ query, variables }) })).json() as Promise<any>;
const t1 = performance.now();
const run = await gql(APPENDIX_A["A-01 BulkOrdersExport"]!, { query: APPENDIX_A["A-02 inner orders query"]!.replace('created_at:>=2020-01-01', 'created_at:>=2010-01-01') });
const t2 = performance.now();
const id = run.data.bulkOperationRunQuery.bulkOperation.id;
let op: any;
for (;;) { await new Promise(r => setTimeout(r, 250)); op = (await gql(APPENDIX_A["A-04 04_bulk_op_by_id.graphql"]!, { id })).data.bulkOperation; if (op.status !== "RUNNING" && op.status !== "CREATED") break; }
console.log("bulk", op.status, op.objectCount, op.rootObjectCount, op.fileSize, Math.round(performance.now() - t1), "ms (run call", Math.round(t2-t1), ") rss", Math.round(process.memoryUsage().rss / 1e6));
await server.close();
