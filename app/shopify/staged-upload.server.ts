// Staged upload of a bulk mutation's variables file (shopify-reference §4.2): stagedUploadsCreate,
// then a multipart POST with every returned parameter and the file LAST (201 = stored). The
// `key` parameter is the stagedUploadPath bulkOperationRunMutation takes.
import { assertNoUserErrors, type AdminClient } from "./admin-client.server";
import { STAGE_BULK_VARIABLES } from "./graphql";

interface StagedTarget {
  url: string;
  parameters: { name: string; value: string }[];
}

/** Uploads JSONL variables; returns the stagedUploadPath. */
export async function uploadBulkVariables(admin: AdminClient, filename: string, jsonl: string): Promise<string> {
  const data = await admin.request<{ stagedUploadsCreate: { stagedTargets: StagedTarget[] | null; userErrors: { field?: string[] | null; message: string }[] } }>(
    STAGE_BULK_VARIABLES,
    { filename },
  );
  const target = assertNoUserErrors("stagedUploadsCreate", data.stagedUploadsCreate).stagedTargets?.[0];
  if (!target) throw new Error("stagedUploadsCreate returned no target");
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  form.append("file", new Blob([jsonl], { type: "text/jsonl" }), filename);
  const res = await fetch(target.url, { method: "POST", body: form });
  if (res.status !== 201) throw new Error(`staged upload refused: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  await res.body?.cancel();
  const key = target.parameters.find((p) => p.name === "key")?.value;
  if (!key) throw new Error("staged upload target has no key parameter");
  return key;
}
