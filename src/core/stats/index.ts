// Public surface of the stats module (pure functions).
export * from './describe';
export * from './summarize';
export * from './cdf';
