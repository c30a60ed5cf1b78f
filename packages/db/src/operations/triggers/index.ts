export * from './types';
export { listTriggers, readTrigger } from './readTriggers';
export {
  createWebhookTrigger,
  deleteTrigger,
  rotateWebhookSecret,
  setTriggerEnabled,
  type WebhookTriggerCreated,
} from './editTriggers';
export { loadWebhookTarget, type WebhookTarget } from './webhookDelivery';
export { generateWebhookSecret, type WebhookKeyInput } from './webhookSecrets';
export {
  findPendingAfterRunTriggers,
  fireAfterRunTriggers,
  type AfterRunOutcome,
} from './fireAfterRunTriggers';
