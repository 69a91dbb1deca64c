/**
 * The ledger's pure rules: the write rule every adapter applies (`planTransfers`), and the
 * entitlement rules booking with credits uses (`chooseEntitlement`, `periodBounds`,
 * `entitlementStatus`). See docs/ledger.md.
 * @module
 */
export * from './entitlements.js';
export * from './plan.js';
