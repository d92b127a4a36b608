export type { EcsAlert } from './alert.ts';
export { alertMessage, buildAlert, ECS_VERSION, ecsUser, producingService } from './alert.ts';
export { escapeHtml, escapeSlackMrkdwn, plainText } from './escape.ts';
export { renderAlert, renderUpdate } from './render.ts';
export { alertRevision, alertVersionId, isAlertUpdate } from './revision.ts';
export type { SeverityLabel } from './severity.ts';
export { SEVERITY_NUMBER, severityOf } from './severity.ts';
