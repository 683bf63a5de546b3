import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks.server";

// Verify the HMAC, write the delivery to the inbox once, answer 200; a job processes it.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request);
