export { ERROR_STATUS, type SeshnErrorCode } from './codes.js';
export { isSeshnError, SeshnError, type SeshnFieldIssue } from './seshn-error.js';
