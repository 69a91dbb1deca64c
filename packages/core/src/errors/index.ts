export { ERROR_CODES, type SeshnErrorCode } from './codes.js';
export { isSeshnError, SeshnError, type SeshnFieldIssue } from './seshn-error.js';
