// Staged uploads (stagedUploadsCreate → multipart POST → stagedUploadPath), shaped like the
// Google Cloud Storage signed POST Shopify hands out: the form must carry every returned
// parameter, with the file LAST; success is 201 with an XML body.
import { createHmac, randomUUID } from "node:crypto";
import type { Clock } from "./clock";
import type { StagedTarget, UploadService } from "./context";
import { shopNumericId } from "./resolvers";
import type { ShopState } from "./state";

export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

interface IssuedTarget {
  shopDomain: string;
  parameters: Array<{ name: string; value: string }>;
  content: string | null;
}

export class StagedUploads implements UploadService {
  private issued = new Map<string, IssuedTarget>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly clock: Clock,
    private readonly signingSecret: string,
  ) {}

  createTarget(shop: ShopState, input: { resource: string; filename: string; mimeType: string; httpMethod: string | null }): StagedTarget {
    const key = `tmp/${shopNumericId(shop)}/bulk/${randomUUID()}/${input.filename}`;
    const date = new Date(this.clock.now()).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    const policy = Buffer.from(JSON.stringify({ conditions: [{ key }, { "Content-Type": input.mimeType }, { success_action_status: "201" }, { acl: "private" }], expiration: new Date(this.clock.now() + 86_400_000).toISOString() })).toString("base64");
    const parameters = [
      { name: "Content-Type", value: input.mimeType },
      { name: "success_action_status", value: "201" },
      { name: "acl", value: "private" },
      { name: "key", value: key },
      { name: "x-goog-date", value: date },
      { name: "x-goog-credential", value: `segmint-simulator@shopify-staged-uploads.iam.gserviceaccount.com/${date.slice(0, 8)}/auto/storage/goog4_request` },
      { name: "x-goog-algorithm", value: "GOOG4-RSA-SHA256" },
      { name: "x-goog-signature", value: createHmac("sha256", this.signingSecret).update(policy).digest("hex") },
      { name: "policy", value: policy },
    ];
    this.issued.set(key, { shopDomain: shop.domain, parameters, content: null });
    return { url: `${this.baseUrl()}/_sim/staged-uploads`, resourceUrl: null, parameters };
  }

  /** The multipart POST. Returns the HTTP answer GCS would give. */
  async receive(request: Request): Promise<Response> {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return xml(400, "InvalidArgument", "Expected a multipart/form-data body");
    }
    const key = form.get("key");
    const target = typeof key === "string" ? this.issued.get(key) : undefined;
    if (!target || typeof key !== "string") return xml(400, "InvalidArgument", "Unknown or missing key");
    for (const param of target.parameters) {
      if (form.get(param.name) !== param.value) return xml(403, "AccessDenied", `Form field ${param.name} is missing or was modified`);
    }
    const names = [...form.keys()];
    if (names[names.length - 1] !== "file") return xml(400, "InvalidArgument", "The file field must be the last field of the form");
    const file = form.get("file");
    if (file === null || typeof file === "string") return xml(400, "InvalidArgument", "Missing file");
    if (file.size > MAX_UPLOAD_BYTES) return xml(400, "EntityTooLarge", `Your proposed upload exceeds the maximum allowed size (${MAX_UPLOAD_BYTES} bytes)`);
    target.content = await file.text();
    return new Response(`<?xml version='1.0' encoding='UTF-8'?><PostResponse><Bucket>shopify-staged-uploads</Bucket><Key>${key}</Key></PostResponse>`, {
      status: 201,
      headers: { "content-type": "application/xml" },
    });
  }

  /** Contents uploaded under `key` for `shop`, or null (never issued / not uploaded yet). */
  read(shop: ShopState, key: string): string | null {
    const target = this.issued.get(key);
    return target && target.shopDomain === shop.domain ? target.content : null;
  }
}

function xml(status: number, code: string, message: string): Response {
  return new Response(`<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`, {
    status,
    headers: { "content-type": "application/xml" },
  });
}
