// Public surface of the server module.
export * from './prometheus';
export * from './serverMetrics';
export * from './probe';
export * from './metricsScraper';
export * from './launcher';
