export * from './interval.js';
export * from './zone.js';
